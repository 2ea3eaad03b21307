/**
 * Characters that show nothing: white space, control and format characters and the other
 * default-ignorable code points (zero-width space and joiners, BOM, variation selectors, tag
 * characters …). A reason made of them looks empty to whoever reads the audit trail.
 *
 * The same ranges are in app.visible_length() (migrations/010_security_hardening.sql), so the
 * form and the database count alike; test/tenants/visible-reason.test.ts compares the two.
 */
export const INVISIBLE_RANGES: readonly (readonly [number, number])[] = [
  [0x0000, 0x0020], [0x007f, 0x00a0], [0x00ad, 0x00ad], [0x034f, 0x034f], [0x0600, 0x0605], [0x061c, 0x061c],
  [0x06dd, 0x06dd], [0x070f, 0x070f], [0x0890, 0x0891], [0x08e2, 0x08e2], [0x115f, 0x1160], [0x1680, 0x1680],
  [0x17b4, 0x17b5], [0x180b, 0x180f], [0x2000, 0x200f], [0x2028, 0x202f], [0x205f, 0x206f], [0x3000, 0x3000],
  [0x3164, 0x3164], [0xfe00, 0xfe0f], [0xfeff, 0xfeff], [0xffa0, 0xffa0], [0xfff0, 0xfffb], [0x110bd, 0x110bd],
  [0x110cd, 0x110cd], [0x13430, 0x1343f], [0x1bca0, 0x1bca3], [0x1d173, 0x1d17a], [0xe0000, 0xe0fff]
]

export function isInvisible(codePoint: number): boolean {
  return INVISIBLE_RANGES.some(([from, to]) => codePoint >= from && codePoint <= to)
}

/** How many characters of `text` show something (lone surrogates count: the database never sees them). */
export function visibleLength(text: string): number {
  let visible = 0
  for (const char of text) if (!isInvisible(char.codePointAt(0)!)) visible++
  return visible
}

/**
 * Bidirectional controls (embeddings, overrides, isolates, marks): in a name they make the text
 * read as something else ("‮moc.evil"). Names refuse them; the same class is in the tenants
 * CHECK constraints of migrations/022_text_rules.sql.
 */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/

export const BIDI_MESSAGE = 'No direction-changing characters (U+202E …)'
