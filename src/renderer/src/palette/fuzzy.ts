export interface FuzzyMatch {
  score: number
  /** Indices into the original text of the matched characters, for highlighting. */
  positions: number[]
}

/** Lower case without diacritics, one output code unit per input code unit, so positions map back. */
export function fold(text: string): string {
  return text
    .split('')
    .map((char) => char.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().charAt(0) || char)
    .join('')
}

function isWordStart(text: string, index: number): boolean {
  if (index === 0) return true
  const before = text.charAt(index - 1)
  return /[\s\-_./·:]/.test(before) || (before === before.toLowerCase() && text.charAt(index) !== text.charAt(index).toLowerCase())
}

/** Whole-query hits: the earliest occurrence at a word start, else the earliest one. */
function substringMatch(needle: string, haystack: string, text: string): FuzzyMatch | null {
  let best: FuzzyMatch | null = null
  for (let index = haystack.indexOf(needle); index !== -1; index = haystack.indexOf(needle, index + 1)) {
    const score = 100 - Math.min(index, 30) + (index === 0 ? 30 : 0) + (isWordStart(text, index) ? 20 : 0)
    if (!best || score > best.score) best = { score, positions: Array.from({ length: needle.length }, (_, i) => index + i) }
  }
  return best
}

/**
 * Case- and accent-insensitive ("configuracion" finds "Configuración"). The query as one piece
 * ranks first (prefix, then at a word start, then anywhere); otherwise every character must appear
 * in order, and consecutive runs, word starts and early matches score higher.
 */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const needle = fold(query.replace(/\s+/g, ''))
  if (needle.length === 0) return { score: 0, positions: [] }
  const haystack = fold(text)
  const whole = substringMatch(needle, haystack, text)
  if (whole) return { score: whole.score - haystack.length / 100, positions: whole.positions }
  const positions: number[] = []
  let score = 0
  let from = 0
  for (const char of needle) {
    const index = haystack.indexOf(char, from)
    if (index === -1) return null
    const previous = positions[positions.length - 1]
    if (previous !== undefined && index === previous + 1) score += 5
    if (isWordStart(text, index)) score += 8
    score -= Math.min(index - from, 10)
    positions.push(index)
    from = index + 1
  }
  // Stays below any whole-query hit; shorter texts win ties ("Audit" over "Audit log export").
  return { score: Math.min(score, 60) - haystack.length / 100, positions }
}

export interface Ranked<T> {
  item: T
  match: FuzzyMatch
}

/** Best match over each item's texts (its label and keywords), best items first, stable for ties. */
export function rankByFuzzy<T>(items: readonly T[], query: string, textsOf: (item: T) => string[]): Ranked<T>[] {
  const ranked: (Ranked<T> & { order: number })[] = []
  items.forEach((item, order) => {
    let best: FuzzyMatch | null = null
    const texts = textsOf(item)
    texts.forEach((text, textIndex) => {
      const match = fuzzyMatch(query, text)
      if (!match) return
      // Only the first text (the label) is displayed, so only its positions can be highlighted.
      const scored = textIndex === 0 ? match : { score: match.score - 1, positions: [] }
      if (!best || scored.score > best.score) best = scored
    })
    if (best) ranked.push({ item, match: best, order })
  })
  ranked.sort((a, b) => b.match.score - a.match.score || a.order - b.order)
  return ranked.map(({ item, match }) => ({ item, match }))
}
