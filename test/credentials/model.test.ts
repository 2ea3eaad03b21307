import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/main/db/types'
import { revokeCredential, revokeVersion, rollCredential } from '../../src/main/domains/credentials/rotation'
import { issueMaterial } from '../../src/main/secrets/custody'
import { GRACE_PERIODS, type GracePeriod } from '../../src/shared/rpc/areas/credentials'
import { makeOperator, makeTenant, withAdmin, type TestOperator } from '../helpers/db'
import { makeCredential, versionsOf, type TestCredential } from './fixture'

/*
 * A fast-check state machine over roll, revoke (a version, the active one, the whole credential),
 * a crash between the two steps of a roll, a crash inside a step, and the clock moving. The clock
 * moves by shifting every stored time of the credential back (what now() - t computes is the same
 * as if the clock had moved forward); the model counts each retiring version's remaining grace.
 * After every command: never zero valid versions unless revoked as a whole, never two active, and
 * a retiring version valid exactly while its grace lasts.
 */

const HOUR = 3_600_000
const GRACE_MS: Record<GracePeriod, number> = { now: 0, '1h': HOUR, '24h': 24 * HOUR, '3d': 72 * HOUR, '7d': 168 * HOUR }

type ModelState = 'pending' | 'active' | 'retiring' | 'revoked'
interface Model {
  versions: Map<number, { state: ModelState; graceLeftMs: number }>
  active: number | null
  next: number
  revoked: boolean
}
interface Real {
  db: Database
  operator: TestOperator
  credential: TestCredential
}

class Crash extends Error {}

async function check(model: Model, real: Real): Promise<void> {
  const rows = await versionsOf(real.credential.id)
  expect(rows.filter((r) => r.stored_state === 'active').length).toBeLessThanOrEqual(1)
  if (!model.revoked) expect(rows.filter((r) => r.valid).length).toBeGreaterThanOrEqual(1)
  else expect(rows.filter((r) => r.valid)).toEqual([])
  for (const row of rows) {
    const expected = model.versions.get(row.version)!
    const state = expected.state === 'retiring' && expected.graceLeftMs <= 0 ? 'expired' : expected.state
    expect({ version: row.version, state: row.state }).toEqual({ version: row.version, state })
    expect(row.valid).toBe(state === 'active' || state === 'retiring')
  }
  // "Exactly until": valid a microsecond before the grace end, not at it.
  const retiring = rows.filter((r) => r.stored_state === 'retiring')
  if (retiring.length) {
    const edges = await withAdmin(async (a) =>
      (await a.query<{ before: boolean; at: boolean }>(
        `select app.credential_version_valid('retiring', g, g - interval '1 microsecond') as before, app.credential_version_valid('retiring', g, g) as at
           from unnest($1::timestamptz[]) g`, [retiring.map((r) => r.grace_ends_at)])).rows
    )
    for (const edge of edges) expect(edge).toEqual({ before: true, at: false })
  }
}

const abandonPending = (m: Model) => {
  for (const v of m.versions.values()) if (v.state === 'pending') v.state = 'revoked'
}

class Roll implements fc.AsyncCommand<Model, Real> {
  constructor(readonly grace: GracePeriod) {}
  check = (m: Readonly<Model>) => !m.revoked
  async run(m: Model, r: Real) {
    await rollCredential(r.db, { tenantId: r.credential.tenantId, credentialId: r.credential.id, seenVersion: m.active }, this.grace)
    abandonPending(m)
    if (m.active !== null) m.versions.set(m.active, { state: 'retiring', graceLeftMs: GRACE_MS[this.grace] })
    m.active = m.next++
    m.versions.set(m.active, { state: 'active', graceLeftMs: 0 })
    await check(m, r)
  }
  toString = () => `roll(${this.grace})`
}

/** The console dies after step 1: a pending version nobody saw. */
class CrashBetweenSteps implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => !m.revoked
  async run(m: Model, r: Real) {
    const target = { tenantId: r.credential.tenantId, credentialId: r.credential.id, seenVersion: m.active }
    await expect(rollCredential(r.db, target, '24h', { afterBegin: () => { throw new Crash('killed between the steps') } })).rejects.toBeInstanceOf(Crash)
    abandonPending(m)
    m.versions.set(m.next++, { state: 'pending', graceLeftMs: 0 })
    await check(m, r)
  }
  toString = () => 'crash-between-steps'
}

/** The connection dies inside step 1: its transaction rolls back, nothing changes. */
class CrashInsideStep implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => !m.revoked
  async run(m: Model, r: Real) {
    const { material } = await issueMaterial('client_secret', r.credential.id, null)
    const client = await r.operator.client()
    await client.query('begin')
    await client.query("select set_config('app.current_tenant_id', $1, true)", [r.credential.tenantId])
    await client.query('select app.begin_credential_roll($1, $2, $3, $4, $5, null, null, null, null)', [
      r.credential.id, m.active, material.secretPrefix, material.secretVerifier, material.fingerprint
    ])
    await client.end()
    await check(m, r)
  }
  toString = () => 'crash-inside-step'
}

class RevokeVersion implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  private candidates = (m: Readonly<Model>) => [...m.versions.entries()].filter(([, v]) => v.state === 'pending' || v.state === 'retiring').map(([n]) => n)
  check = (m: Readonly<Model>) => !m.revoked && this.candidates(m).length > 0
  async run(m: Model, r: Real) {
    const candidates = this.candidates(m)
    const version = candidates[this.pick % candidates.length]!
    const id = (await versionsOf(r.credential.id)).find((v) => v.version === version)!.id
    await revokeVersion(r.db, { tenantId: r.credential.tenantId, versionId: id, reason: 'model test: ends a version', confirmation: r.credential.label })
    m.versions.get(version)!.state = 'revoked'
    await check(m, r)
  }
  toString = () => `revoke-version(${this.pick})`
}

class RevokeActiveRefused implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => !m.revoked && m.active !== null
  async run(m: Model, r: Real) {
    const id = (await versionsOf(r.credential.id)).find((v) => v.version === m.active)!.id
    await expect(revokeVersion(r.db, { tenantId: r.credential.tenantId, versionId: id, reason: 'model test: ends a version', confirmation: r.credential.label }))
      .rejects.toMatchObject({ code: 'CONFLICT' })
    await check(m, r)
  }
  toString = () => 'revoke-active(refused)'
}

class RevokeAll implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => !m.revoked
  async run(m: Model, r: Real) {
    await revokeCredential(r.db, { tenantId: r.credential.tenantId, credentialId: r.credential.id, reason: 'model test: revoke it all', confirmation: r.credential.label })
    m.revoked = true
    m.active = null
    for (const v of m.versions.values()) v.state = 'revoked'
    await check(m, r)
  }
  toString = () => 'revoke-all'
}

class AdvanceClock implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true
  async run(m: Model, r: Real) {
    await withAdmin((a) =>
      a.query(
        `update credential_versions set created_at = created_at - $2 * interval '1 millisecond', activated_at = activated_at - $2 * interval '1 millisecond',
                retiring_at = retiring_at - $2 * interval '1 millisecond', grace_ends_at = grace_ends_at - $2 * interval '1 millisecond',
                expires_at = expires_at - $2 * interval '1 millisecond', revoked_at = revoked_at - $2 * interval '1 millisecond'
          where credential_id = $1`,
        [r.credential.id, this.ms]
      )
    )
    for (const v of m.versions.values()) if (v.state === 'retiring') v.graceLeftMs -= this.ms
    await check(m, r)
  }
  toString = () => `advance(${this.ms / HOUR}h)`
}

describe('credential versions: the state machine against a model', () => {
  let tenant: string
  let operator: TestOperator
  let db: Database

  beforeAll(async () => {
    tenant = (await makeTenant('cred-model')).id
    operator = await makeOperator(['admin'], [tenant])
    db = operator.database({ maxConnections: 2 })
  })
  afterAll(async () => db?.close())

  it('keeps its invariants over roll, revoke, crashes and the clock moving', async () => {
    const commands = [
      fc.constantFrom(...GRACE_PERIODS).map((g) => new Roll(g)),
      fc.constant(new CrashBetweenSteps()),
      fc.constant(new CrashInsideStep()),
      fc.nat(10).map((n) => new RevokeVersion(n)),
      fc.constant(new RevokeActiveRefused()),
      fc.constant(new RevokeAll()),
      fc.constantFrom(0.5 * HOUR, 59 * 60_000, HOUR, 23 * HOUR, 24 * HOUR, 72 * HOUR, 8 * 24 * HOUR).map((ms) => new AdvanceClock(ms))
    ]
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 14 }), async (cmds) => {
        const credential = await makeCredential(tenant)
        const model: Model = { versions: new Map([[1, { state: 'active', graceLeftMs: 0 }]]), active: 1, next: 2, revoked: false }
        await fc.asyncModelRun(() => ({ model, real: { db, operator, credential } }), cmds)
      }),
      { numRuns: 25 }
    )
  }, 240_000)
})
