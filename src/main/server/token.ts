import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** 256 random bits per launch, URL-safe so it can sit in the printed link. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * Constant-time comparison. Hashing first gives equal-length buffers, so neither the content nor
 * the length of the expected token leaks through timing.
 */
export function tokensEqual(candidate: string | undefined, expected: string): boolean {
  if (candidate === undefined) return false
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest()
  return timingSafeEqual(digest(candidate), digest(expected))
}
