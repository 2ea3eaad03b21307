import { randomBytes } from 'node:crypto'
import { SignJWT, importJWK } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeOperator, makeTenant, withAdmin } from '../helpers/db'
import { operatorSession, type OperatorSession } from '../tenants/harness'
import { makeCredential, registerRuntimeKey } from './fixture'
import { createRuntimeVerifier, type RuntimeVerifier } from './runtime-verifier'

/**
 * The reference runtime (test/credentials/runtime-verifier.ts) holds the only private key. What the
 * console stores must be enough for it, and useless to anyone else.
 */
describe('credential custody: what the runtime can verify and open, and nobody else', () => {
  let tenant: string
  let admin: OperatorSession
  let runtime: RuntimeVerifier
  const material = (versionId: string) =>
    withAdmin(async (a) => (await a.query<{ secret_prefix: string | null; secret_verifier: string | null; sealed_secret: string | null; sealed_to_key: string | null }>(
      'select secret_prefix, secret_verifier, sealed_secret, sealed_to_key from credential_versions where id = $1', [versionId])).rows[0]!)

  beforeAll(async () => {
    tenant = (await makeTenant('custody')).id
    admin = await operatorSession(['admin'], [tenant])
    runtime = await createRuntimeVerifier(`rt-${randomBytes(6).toString('hex')}`)
    await registerRuntimeKey(runtime)
  })
  afterAll(async () => admin?.close())

  it('a new client secret verifies against its verifier; the database holds only the verifier, a prefix and a fingerprint', async () => {
    const credential = await makeCredential(tenant, 'client_secret')
    const rolled = await admin.value('credentials.roll', { tenantId: tenant, credentialId: credential.id, seenVersion: 1, grace: '24h' })
    expect(rolled.secret).toMatch(/^avia_sk_[0-9A-Za-z]{43}$/)
    const stored = await material(rolled.version.id)
    expect(runtime.verifyClientSecret(rolled.secret, stored.secret_verifier!)).toBe(true)
    // One character changed: a secret ending in x (1 in 62) made the old "…x" tamper the secret itself.
    const tampered = `${rolled.secret.slice(0, -1)}${rolled.secret.endsWith('x') ? 'y' : 'x'}`
    expect(tampered).not.toBe(rolled.secret)
    expect(runtime.verifyClientSecret(tampered, stored.secret_verifier!)).toBe(false)
    expect(rolled.secret.startsWith(stored.secret_prefix!)).toBe(true)
    expect(rolled.version.secretPrefix).toBe(stored.secret_prefix)
    expect(stored.sealed_secret).toBeNull()
    const row = await withAdmin(async (a) => JSON.stringify((await a.query('select * from credential_versions where id = $1', [rolled.version.id])).rows[0]))
    expect(row).not.toContain(rolled.secret)
  })

  it('the sealed webhook secret opens with the runtime private key only, and only for its own credential', async () => {
    const credential = await makeCredential(tenant, 'webhook_secret')
    const other = await makeCredential(tenant, 'webhook_secret')
    const rolled = await admin.value('credentials.roll', { tenantId: tenant, credentialId: credential.id, seenVersion: 1, grace: '1h' })
    expect(rolled.secret).toMatch(/^avia_whsec_[0-9A-Za-z]{43}$/)
    const stored = await material(rolled.version.id)
    expect(stored.sealed_to_key).toBe(runtime.keyId)
    expect(stored.sealed_secret).not.toContain(rolled.secret)
    expect(await runtime.open(stored.sealed_secret!, credential.id, 'webhook_secret')).toBe(rolled.secret)
    const stranger = await createRuntimeVerifier('stranger-key')
    await expect(stranger.open(stored.sealed_secret!, credential.id, 'webhook_secret')).rejects.toThrow()
    await expect(runtime.open(stored.sealed_secret!, other.id, 'webhook_secret')).rejects.toThrow()
    await expect(runtime.open(stored.sealed_secret!, credential.id, 'jwt_signing_key')).rejects.toThrow()
  })

  it('no operator reads the verifier or the sealed secret back', async () => {
    for (const groups of [['admin'], ['support']] as const) {
      const operator = await makeOperator([...groups], [tenant])
      await operator.withClient(async (c) => {
        await c.query('begin')
        await c.query("select set_config('app.current_tenant_id', $1, true)", [tenant])
        await expect(c.query('select sealed_secret from credential_versions')).rejects.toMatchObject({ code: '42501' })
        await c.query('rollback')
        await expect(c.query('select secret_verifier from credential_versions')).rejects.toMatchObject({ code: '42501' })
      })
    }
  })

  it('a JWT signed with the new key verifies against the JWKS, which holds the old key too while it retires', async () => {
    const credential = await makeCredential(tenant, 'jwt_signing_key')
    const first = await admin.value('credentials.roll', { tenantId: tenant, credentialId: credential.id, seenVersion: 1, grace: 'now' })
    const second = await admin.value('credentials.roll', { tenantId: tenant, credentialId: credential.id, seenVersion: first.version.version, grace: '7d' })
    expect(second.secret).toBeNull()
    const sealed = (await material(second.version.id)).sealed_secret!
    const privateJwk = JSON.parse(await runtime.open(sealed, credential.id, 'jwt_signing_key'))
    expect(privateJwk.kid).toBe(second.version.jwtKid)
    const token = await new SignJWT({ tenant }).setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid }).setIssuedAt().setExpirationTime('5m')
      .sign(await importJWK(privateJwk, 'ES256'))
    const jwks = await admin.value('credentials.jwks', { tenantId: tenant, credentialId: credential.id })
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([second.version.jwtKid, first.version.jwtKid])
    expect(jwks.keys.every((k: Record<string, unknown>) => !('d' in k))).toBe(true)
    expect(await runtime.verifyJwt(token, jwks)).toMatchObject({ tenant })
    // A token signed by a key that is not in the set does not verify.
    const firstPrivate = JSON.parse(await runtime.open((await material(first.version.id)).sealed_secret!, credential.id, 'jwt_signing_key'))
    const stale = await new SignJWT({ tenant }).setProtectedHeader({ alg: 'ES256', kid: 'not-published' }).sign(await importJWK(firstPrivate, 'ES256'))
    await expect(runtime.verifyJwt(stale, jwks)).rejects.toThrow()
  })

  it('re-seals every runtime secret to a new runtime key (docs/credential-custody.md), then retires the old key', async () => {
    const credential = await makeCredential(tenant, 'webhook_secret')
    const rolled = await admin.value('credentials.roll', { tenantId: tenant, credentialId: credential.id, seenVersion: 1, grace: 'now' })
    const next = await createRuntimeVerifier(`rt-${randomBytes(6).toString('hex')}`)
    await registerRuntimeKey(next)
    await withAdmin(async (a) => {
      // Not while a usable secret is still sealed to the old key.
      await expect(a.query('select app.retire_runtime_key($1)', [runtime.keyId])).rejects.toMatchObject({ code: '55000' })
      const { rows } = await a.query<{ id: string; credential_id: string; kind: 'webhook_secret' | 'jwt_signing_key'; sealed_secret: string }>(
        `select v.id, v.credential_id, c.kind, v.sealed_secret from credential_versions v join tenant_credentials c on c.id = v.credential_id
          where v.sealed_to_key = $1 and v.state <> 'revoked'`, [runtime.keyId])
      expect(rows.length).toBeGreaterThan(0)
      for (const row of rows) {
        await a.query('select app.reseal_credential_version($1, $2, $3)', [row.id, next.keyId, await runtime.reseal(row.sealed_secret, row.credential_id, row.kind, next)])
      }
      await a.query('select app.retire_runtime_key($1)', [runtime.keyId])
      const status = await a.query<{ status: string }>('select status from runtime_keys where key_id = $1', [runtime.keyId])
      expect(status.rows[0]!.status).toBe('retired')
      // Material other than the sealed form never changes, not even for the owner.
      await expect(a.query("update credential_versions set fingerprint = '0000000000000000' where id = $1", [rolled.version.id])).rejects.toMatchObject({ code: '55000' })
    })
    const stored = await material(rolled.version.id)
    expect(stored.sealed_to_key).toBe(next.keyId)
    expect(await next.open(stored.sealed_secret!, credential.id, 'webhook_secret')).toBe(rolled.secret)
    await expect(runtime.open(stored.sealed_secret!, credential.id, 'webhook_secret')).rejects.toThrow()
    runtime = next
  })
})
