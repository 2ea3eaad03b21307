import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rollCredential } from '../../src/main/domains/credentials/rotation'
import { makeOperator, makeTenant, withAdmin } from '../helpers/db'
import { operatorSession, type OperatorSession } from '../tenants/harness'
import { ensureRuntimeKey, makeCredential, versionsOf } from './fixture'

describe('credential versions: who may do what, and what the database refuses', () => {
  let tenant: string
  let admin: OperatorSession
  let support: OperatorSession

  beforeAll(async () => {
    tenant = (await makeTenant('cred-rules')).id
    admin = await operatorSession(['admin'], [tenant])
    support = await operatorSession(['support'], [tenant])
    await withAdmin(ensureRuntimeKey)
  })
  afterAll(async () => {
    await admin?.close()
    await support?.close()
  })

  it('support may not roll: refused by the console with its reason, and by the database (42501) when the console is bypassed', async () => {
    const credential = await makeCredential(tenant)
    const early = await support.call('credentials.roll', { tenantId: tenant, credentialId: credential.id, seenVersion: 1, grace: '24h' })
    expect(early).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(early.ok ? '' : early.error.message).toMatch(/requiresAdmin/)
    // A console that believes the operator is an admin: the database still says no.
    const claiming = await operatorSession(['support'], [tenant], { claimedGroups: ['admin'] })
    try {
      expect(await claiming.call('credentials.roll', { tenantId: tenant, credentialId: credential.id, seenVersion: 1, grace: '24h' }))
        .toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect(await claiming.call('credentials.revoke', { tenantId: tenant, credentialId: credential.id, reason: 'support should not revoke', confirmation: credential.label }))
        .toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    } finally {
      await claiming.close()
    }
    const raw = await makeOperator(['support'], [tenant])
    await raw.withClient(async (c) => {
      await expect(c.query('select app.begin_credential_roll($1, 1, null, null, null, null, null, null, null)', [credential.id])).rejects.toMatchObject({ code: '42501' })
      await expect(c.query(`select app.activate_credential_version($1, '1 hour')`, [credential.id])).rejects.toMatchObject({ code: '42501' })
      await expect(c.query(`update credential_versions set state = 'revoked' where credential_id = $1`, [credential.id])).rejects.toMatchObject({ code: '42501' })
    })
    expect((await versionsOf(credential.id)).map((v) => v.state)).toEqual(['active'])
  })

  it('support requests a roll; it is audited with the actor and shows on the list', async () => {
    const credential = await makeCredential(tenant)
    const row = await support.value('credentials.requestRoll', { tenantId: tenant, credentialId: credential.id, note: 'Tenant reports a leaked key' })
    expect(row).toMatchObject({ rollRequestedBy: support.name, state: 'active' })
    const audit = await withAdmin(async (a) => (await a.query(`select actor from audit_logs where resource_id = $1 and resource_type = 'tenant_credentials' and action = 'UPDATE'`, [credential.id])).rows)
    expect(audit).toEqual([{ actor: support.name }])
    const requested = await admin.value('credentials.list', { state: 'requested', tenantId: tenant })
    expect(requested.rows.map((r: { id: string }) => r.id)).toEqual([credential.id])
  })

  it('a roll from a stale version is a CONFLICT and writes nothing', async () => {
    const credential = await makeCredential(tenant)
    expect(await admin.call('credentials.roll', { tenantId: tenant, credentialId: credential.id, seenVersion: 7, grace: '1h' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect((await versionsOf(credential.id)).map((v) => v.version)).toEqual([1])
  })

  it('a roll with 24 h grace leaves the old version retiring, valid until its grace end; the audit names the admin and holds no secret', async () => {
    const credential = await makeCredential(tenant)
    const before = Date.now()
    const rolled = await admin.value('credentials.roll', { tenantId: tenant, credentialId: credential.id, seenVersion: 1, grace: '24h' })
    const detail = await admin.value('credentials.get', { tenantId: tenant, credentialId: credential.id })
    expect(detail.versions.map((v: { version: number; state: string }) => [v.version, v.state])).toEqual([[2, 'active'], [1, 'retiring']])
    const graceEnd = Date.parse(detail.versions[1].graceEndsAt)
    expect(graceEnd - before).toBeGreaterThanOrEqual(24 * 3_600_000 - 5_000)
    expect(graceEnd - before).toBeLessThanOrEqual(24 * 3_600_000 + 60_000)
    expect(detail.credential).toMatchObject({ state: 'rolling', version: 2 })
    expect(JSON.stringify(detail)).not.toContain(rolled.secret)
    const audit = await withAdmin(async (a) =>
      (await a.query<{ actor: string; doc: string }>(`select actor, coalesce(old_values, '{}')::text || new_values::text as doc from audit_logs where resource_id = $1`, [rolled.version.id])).rows)
    expect(audit.length).toBeGreaterThan(0)
    expect(audit.every((r) => r.actor === admin.name && !r.doc.includes(rolled.secret) && !r.doc.includes(rolled.secret.slice(8)))).toBe(true)
  })

  it('revoke needs the typed label and a reason; the active version is not revoked alone; the whole credential is', async () => {
    const credential = await makeCredential(tenant)
    await admin.value('credentials.roll', { tenantId: tenant, credentialId: credential.id, seenVersion: 1, grace: '7d' })
    const [v1, v2] = await versionsOf(credential.id)
    const revoke = (versionId: string, confirmation: string, reason = 'Leaked in a public repository') =>
      admin.call('credentials.revokeVersion', { tenantId: tenant, versionId, reason, confirmation })
    expect(await revoke(v1!.id, 'wrong label')).toMatchObject({ ok: false, error: { code: 'INVALID' } })
    expect(await revoke(v1!.id, credential.label, 'short')).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    expect(await revoke(v2!.id, credential.label)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect((await versionsOf(credential.id)).map((v) => v.state)).toEqual(['retiring', 'active'])
    expect(await revoke(v1!.id, credential.label)).toMatchObject({ ok: true, value: { state: 'revoked', revokedBy: admin.name } })
    expect(await admin.call('credentials.revoke', { tenantId: tenant, credentialId: credential.id, reason: 'Tenant closed its account', confirmation: 'nope' }))
      .toMatchObject({ ok: false, error: { code: 'INVALID' } })
    const whole = await admin.value('credentials.revoke', { tenantId: tenant, credentialId: credential.id, reason: 'Tenant closed its account', confirmation: credential.label })
    expect(whole).toMatchObject({ state: 'revoked', version: null })
    expect((await versionsOf(credential.id)).map((v) => v.state)).toEqual(['revoked', 'revoked'])
    expect(await admin.call('credentials.roll', { tenantId: tenant, credentialId: credential.id, seenVersion: 2, grace: 'now' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
  })

  it('a crash between the steps leaves a pending version the next roll abandons; a repeated activation changes nothing', async () => {
    const credential = await makeCredential(tenant)
    const db = (await makeOperator(['admin'], [tenant])).database()
    try {
      await expect(rollCredential(db, { tenantId: tenant, credentialId: credential.id, seenVersion: 1 }, '1h', { afterBegin: () => { throw new Error('crash') } })).rejects.toThrow('crash')
      expect((await versionsOf(credential.id)).map((v) => [v.version, v.state])).toEqual([[1, 'active'], [2, 'pending']])
      const rolled = await rollCredential(db, { tenantId: tenant, credentialId: credential.id, seenVersion: 1 }, '1h')
      expect((await versionsOf(credential.id)).map((v) => [v.version, v.state])).toEqual([[1, 'retiring'], [2, 'revoked'], [3, 'active']])
      await db.withTenant(tenant, (c) => c.query(`select app.activate_credential_version($1, '7 days')`, [rolled.version.id]))
      expect((await versionsOf(credential.id)).map((v) => [v.version, v.state])).toEqual([[1, 'retiring'], [2, 'revoked'], [3, 'active']])
    } finally {
      await db.close()
    }
  })

  it('the database itself refuses two active versions, none, and illegal moves, even to the owner', async () => {
    const credential = await makeCredential(tenant)
    await withAdmin(async (a) => {
      await expect(a.query(`insert into credential_versions (tenant_id, credential_id, version, state, activated_at) values ($1, $2, 2, 'active', now())`, [tenant, credential.id]))
        .rejects.toMatchObject({ code: '23505' })
      await expect(a.query(`update credential_versions set state = 'retiring', retiring_at = now(), grace_ends_at = now() where credential_id = $1`, [credential.id]))
        .rejects.toMatchObject({ code: '23514' })
      await expect(a.query(`update credential_versions set state = 'revoked', revoked_at = now() where credential_id = $1`, [credential.id])).rejects.toMatchObject({ code: '23514' })
    })
    const bad = await withAdmin(async (a) => {
      await a.query('begin')
      await a.query(`update credential_versions set state = 'retiring', retiring_at = now(), grace_ends_at = now() where credential_id = $1`, [credential.id])
      const e = await a.query(`update credential_versions set state = 'active' where credential_id = $1`, [credential.id]).catch((error) => error)
      await a.query('rollback')
      return e
    })
    expect(bad).toMatchObject({ code: '55000' })
    expect((await versionsOf(credential.id)).map((v) => v.state)).toEqual(['active'])
  })
})
