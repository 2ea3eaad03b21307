/** Known key formats. Each pattern matches the whole key, so a match also says where it is. */
export const SECRET_PATTERNS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'AWS access key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'Stripe live key', pattern: /\b(?:sk|rk)_live_[0-9A-Za-z]{20,}/ },
  { name: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})/ },
  { name: 'OpenAI key', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}/ },
  { name: 'Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}/ },
  { name: 'private key', pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/ },
  { name: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ }
]

export interface SecretMatch {
  name: string
  start: number
  end: number
}

export function findKnownSecret(text: string): SecretMatch | null {
  for (const { name, pattern } of SECRET_PATTERNS) {
    const match = pattern.exec(text)
    if (match) return { name, start: match.index, end: match.index + match[0].length }
  }
  return null
}

/** Enough of a secret to recognise it, never enough to use it. */
export function maskSecret(secret: string): string {
  return `${secret.slice(0, 6)}… (${secret.length} characters)`
}

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  const counts = new Map<string, number>()
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let bits = 0
  for (const n of counts.values()) {
    const p = n / text.length
    bits -= p * Math.log2(p)
  }
  return bits
}

const TOKEN = /[A-Za-z0-9+/=_-]{20,}/g
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * A random-looking token: long, letters and digits mixed, and close to the entropy of random
 * text of its alphabet (hex keys have at most 4 bits per character, base64 ones up to 6).
 */
export function highEntropyToken(text: string): string | null {
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0]
    if (UUID.test(token) || !/[0-9]/.test(token) || !/[A-Za-z]/.test(token)) continue
    const hexOnly = /^[0-9a-fA-F]+$/.test(token)
    if (hexOnly ? token.length >= 32 && entropy(token) >= 3.4 : entropy(token) >= 4.2) return token
  }
  return null
}

/** Parameter names whose literal value is a credential wherever it appears. */
export const SECRET_NAME = /(api[_-]?key|secret|token|password|passwd|authorization|bearer|private[_-]?key|access[_-]?key)/i

/**
 * A key split across two values: some pair (a, b) whose joint text has a known key that neither
 * has alone and that straddles the join. Only the end of a and the start of b can form it.
 */
export function findSplitSecret(values: readonly string[]): { first: number; second: number; match: SecretMatch } | null {
  const candidates = values.map((v, i) => ({ v, i })).filter(({ v }) => v.length >= 2 && v.length <= 4096 && !findKnownSecret(v)).slice(0, 100)
  for (const a of candidates) {
    const tail = a.v.slice(-64)
    for (const b of candidates) {
      if (a.i === b.i) continue
      const joined = tail + b.v.slice(0, 256)
      const match = findKnownSecret(joined)
      if (match && match.start < tail.length && match.end > tail.length) return { first: a.i, second: b.i, match }
    }
  }
  return null
}
