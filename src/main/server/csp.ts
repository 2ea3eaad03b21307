/**
 * The renderer's Content-Security-Policy. RENDERER_CSP is, verbatim, the <meta> tag of
 * src/renderer/index.html (Electron loads the page from file://, where no header exists);
 * test/electron/hardening.test.ts keeps the two equal. frame-ancestors is ignored in a meta tag,
 * so it is added only to the header browser mode sends.
 * No 'unsafe-inline' for styles: React and recharts set styles through the CSSOM, which CSP allows.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'"
].join('; ')

export const CSP_HEADER = `${RENDERER_CSP}; frame-ancestors 'none'`
