import { createHash, timingSafeEqual } from 'node:crypto'
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose'
import { RUNTIME_KEY_ALGORITHM, SEAL_INFO, runtimeSuite, sealContext, sealToRuntime } from '../../src/main/secrets/custody'
import type { CredentialKind } from '../../src/shared/rpc/areas/credentials'

/**
 * A reference of the platform's runtime, for tests only: it alone holds the private key the
 * console seals runtime secrets to. It is written from the standards (SHA-256 verifier, RFC 9180
 * HPKE, RFC 7517 JWKS), not from the console's code, except the suite and the labels it shares.
 */
export interface RuntimeVerifier {
  keyId: string
  /** Raw X25519 public key, base64url: what public.runtime_keys holds. */
  publicKey: string
  algorithm: string
  verifyClientSecret(secret: string, verifier: string): boolean
  /** Opens a sealed HMAC secret or JWT private key; throws when it was not sealed to this key (or was moved to another credential). */
  open(sealed: string, credentialId: string, kind: CredentialKind): Promise<string>
  /** Opens with this key and seals to `next`: the re-seal step of a runtime key change. */
  reseal(sealed: string, credentialId: string, kind: CredentialKind, next: RuntimeVerifier): Promise<string>
  /** Verifies a JWT against a JWKS the console published. */
  verifyJwt(token: string, jwks: { keys: JWK[] }): Promise<Record<string, unknown>>
}

export async function createRuntimeVerifier(keyId: string): Promise<RuntimeVerifier> {
  const suite = runtimeSuite()
  const pair = await suite.kem.generateKeyPair()
  const publicKey = Buffer.from(await suite.kem.serializePublicKey(pair.publicKey)).toString('base64url')
  const self: RuntimeVerifier = {
    keyId,
    publicKey,
    algorithm: RUNTIME_KEY_ALGORITHM,
    verifyClientSecret(secret, verifier) {
      const [scheme, hex] = verifier.split(':')
      if (scheme !== 'sha256' || !hex) return false
      const expected = Buffer.from(hex, 'hex')
      const actual = createHash('sha256').update(secret, 'utf8').digest()
      return expected.length === actual.length && timingSafeEqual(expected, actual)
    },
    async open(sealed, credentialId, kind) {
      const [enc, ct] = sealed.split('.') as [string, string]
      const plain = await suite.open({ recipientKey: pair, enc: Buffer.from(enc, 'base64url'), info: SEAL_INFO }, Buffer.from(ct, 'base64url'), sealContext(credentialId, kind))
      return new TextDecoder().decode(plain)
    },
    async reseal(sealed, credentialId, kind, next) {
      return sealToRuntime({ keyId: next.keyId, publicKey: next.publicKey }, await self.open(sealed, credentialId, kind), sealContext(credentialId, kind))
    },
    async verifyJwt(token, jwks) {
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks))
      return payload as Record<string, unknown>
    }
  }
  return self
}
