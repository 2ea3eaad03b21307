import { createHash, randomBytes } from 'node:crypto'
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose'
import type { CredentialKind } from '../../shared/rpc/areas/credentials'
import { RpcError } from '../../shared/rpc/errors'

/*
 * Custody of tenant credentials. Nothing here can read a tenant secret back, on this console or
 * any other:
 *   - a client secret is kept only as a verifier (SHA-256 of 256 random bits: a high-entropy
 *     secret needs no slow hash), with a visible prefix and a short fingerprint, as Stripe and
 *     GitHub tokens are;
 *   - the secrets the platform's runtime must use (webhook HMAC secret, JWT private key) are sealed
 *     with HPKE (RFC 9180, base mode) to the runtime's public key from public.runtime_keys; only
 *     the runtime, holding the private key, opens them.
 * The plaintext of a new secret exists only in the roll's reply, shown once.
 */

/** The HPKE suite of public.runtime_keys.algorithm 'HPKE-X25519-SHA256-A256GCM'. */
export const RUNTIME_KEY_ALGORITHM = 'HPKE-X25519-SHA256-A256GCM'
export const runtimeSuite = (): CipherSuite => new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() })

/** HPKE `info`: binds every sealed value to this use, so it cannot be replayed as anything else. */
export const SEAL_INFO = new TextEncoder().encode('agente-virtual-ia/credential-secret/v1')

/**
 * The associated data of a sealed secret: its credential and kind. A sealed value copied onto
 * another credential does not open. Re-sealing keeps it.
 */
export const sealContext = (credentialId: string, kind: CredentialKind): Uint8Array => new TextEncoder().encode(`credential:${credentialId}:${kind}`)

export interface RuntimeKey {
  keyId: string
  /** Raw X25519 public key, base64url. */
  publicKey: string
}

/** What a new version stores: verifier, fingerprint and sealed forms only. */
export interface VersionMaterial {
  secretPrefix: string | null
  secretVerifier: string | null
  fingerprint: string
  sealedSecret: string | null
  sealedToKey: string | null
  jwtKid: string | null
  publicJwk: JWK | null
}

export interface IssuedMaterial {
  material: VersionMaterial
  /** Shown once to the operator, then gone: the client or webhook secret. Null for a JWT key (the tenant uses the JWKS). */
  secret: string | null
}

const PREFIX: Record<Exclude<CredentialKind, 'jwt_signing_key'>, string> = { client_secret: 'avia_sk_', webhook_secret: 'avia_whsec_' }
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** 256 random bits in base62 (43 characters), so a secret is one double-click to select. */
function randomBase62(): string {
  let n = BigInt(`0x${randomBytes(32).toString('hex')}`)
  let out = ''
  for (let i = 0; i < 43; i++) {
    out += BASE62[Number(n % 62n)]
    n /= 62n
  }
  return out
}

export function clientSecretVerifier(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex')}`
}

/** 64 bits, for people to compare two copies; its own hash domain, so it is not a piece of the verifier. */
export function fingerprint(value: string): string {
  return createHash('sha256').update('avia-fingerprint\0').update(value, 'utf8').digest('hex').slice(0, 16)
}

export async function sealToRuntime(key: RuntimeKey, plaintext: string, aad: Uint8Array): Promise<string> {
  const suite = runtimeSuite()
  const recipientPublicKey = await suite.kem.deserializePublicKey(Buffer.from(key.publicKey, 'base64url')).catch(() => {
    throw new RpcError('INTERNAL', `The runtime key ${key.keyId} in the key registry is not a valid X25519 public key.`)
  })
  const { enc, ct } = await suite.seal({ recipientPublicKey, info: SEAL_INFO }, new TextEncoder().encode(plaintext), aad)
  return `${Buffer.from(enc).toString('base64url')}.${Buffer.from(ct).toString('base64url')}`
}

/** New material for one version of a credential of `kind`. */
export async function issueMaterial(kind: CredentialKind, credentialId: string, runtimeKey: RuntimeKey | null): Promise<IssuedMaterial> {
  if (kind === 'client_secret') {
    const body = randomBase62()
    const secret = `${PREFIX.client_secret}${body}`
    return {
      secret,
      material: {
        secretPrefix: `${PREFIX.client_secret}${body.slice(0, 4)}`,
        secretVerifier: clientSecretVerifier(secret),
        fingerprint: fingerprint(secret),
        sealedSecret: null,
        sealedToKey: null,
        jwtKid: null,
        publicJwk: null
      }
    }
  }
  if (!runtimeKey) throw new RpcError('CONFLICT', 'No active runtime key is registered: runtime secrets cannot be sealed until one is.')
  const aad = sealContext(credentialId, kind)
  if (kind === 'webhook_secret') {
    const secret = `${PREFIX.webhook_secret}${randomBase62()}`
    return {
      secret,
      material: {
        secretPrefix: null,
        secretVerifier: null,
        fingerprint: fingerprint(secret),
        sealedSecret: await sealToRuntime(runtimeKey, secret, aad),
        sealedToKey: runtimeKey.keyId,
        jwtKid: null,
        publicJwk: null
      }
    }
  }
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
  const publicJwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(publicJwk)
  const privateJwk = await exportJWK(privateKey)
  return {
    secret: null,
    material: {
      secretPrefix: null,
      secretVerifier: null,
      fingerprint: fingerprint(kid),
      sealedSecret: await sealToRuntime(runtimeKey, JSON.stringify({ ...privateJwk, kid, alg: 'ES256' }), aad),
      sealedToKey: runtimeKey.keyId,
      jwtKid: kid,
      publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' }
    }
  }
}

/** The public keys of a tenant's valid JWT versions, as a JSON Web Key Set. */
export function jwks(keys: readonly JWK[]): { keys: JWK[] } {
  return { keys: keys.map((k) => ({ ...k })) }
}
