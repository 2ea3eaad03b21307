import { describe, expect, it } from 'vitest'
import { SCALES, type ScaleProfile } from '../../src/main/demo/seed/scale'
import { auditLoad } from '../../src/main/demo/seed/tables/audit'
import { activityLoads, sessionConsents } from '../../src/main/demo/seed/tables/activity'
import { consentLoad } from '../../src/main/demo/seed/tables/consent'
import { executionLoads } from '../../src/main/demo/seed/tables/executions'
import { breakGlassHistory, operatorAssignments } from '../../src/main/demo/seed/tables/access'
import { buildMarketplace } from '../../src/main/demo/seed/tables/marketplace'
import { tenantLoads } from '../../src/main/demo/seed/tables/tenants'
import type { Row } from '../../src/main/demo/seed/tables/types'
import { buildWorld } from '../../src/main/demo/seed/world'

// The bench scale's shape (exact targets, pruned steps) on a few thousand rows, without a database.
const profile: ScaleProfile = { ...SCALES.bench, tenants: 40, executions: 3000, executionSteps: 2500, auditLogs: 2000, consentRecords: 1501, templates: 60 }
const anchor = new Date('2025-06-30T00:00:00Z')
const world = buildWorld('bench', profile, 42, anchor, 'gen')

function rowsOf(table: string, loads: { table: string; rows(): Iterable<Row> }[]): Row[] {
  return [...loads.find((l) => l.table === table)!.rows()]
}

describe('bench-shaped generators', () => {
  const loads = executionLoads(world)
  const executions = rowsOf('executions', loads)
  const steps = rowsOf('execution_steps', loads)

  it('loads exactly the planned executions, in time order, all within the history window', () => {
    expect(executions).toHaveLength(3000)
    const starts = executions.map((e) => (e.started_at as Date).getTime())
    for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThanOrEqual(starts[i - 1]!)
    expect(starts[0]!).toBeGreaterThanOrEqual(anchor.getTime() - 90 * 86_400_000)
    expect(starts.at(-1)!).toBeLessThan(anchor.getTime())
  })

  it('keeps steps for the newest executions only, exactly as many as planned, each under an existing execution of the same tenant', () => {
    expect(loads.find((l) => l.table === 'execution_steps')!.planned).toBe(2500)
    expect(steps).toHaveLength(2500)
    const byId = new Map(executions.map((e, i) => [e.id as string, { tenant: e.tenant_id, index: i }]))
    const indexes = steps.map((s) => {
      const parent = byId.get(s.execution_id as string)
      expect(parent?.tenant).toBe(s.tenant_id)
      return parent!.index
    })
    const oldestWithSteps = Math.min(...indexes)
    // Every execution newer than the oldest one with steps has its steps.
    const withSteps = new Set(indexes)
    for (let i = oldestWithSteps + 1; i < executions.length; i++) expect(withSteps.has(i)).toBe(true)
    expect(oldestWithSteps).toBeGreaterThan(0)
  })

  it('stops a suspended or closed tenant’s executions when its status changed', () => {
    const changed = new Map(world.tenants.filter((t) => t.statusChangedAt).map((t) => [t.id, t.statusChangedAt!.getTime()]))
    expect(changed.size).toBeGreaterThan(0)
    const late = executions.filter((e) => changed.has(e.tenant_id as string) && (e.started_at as Date).getTime() > changed.get(e.tenant_id as string)!)
    expect(late.length).toBeLessThan(executions.length * 0.002)
  })

  it('cuts consent histories at exactly the planned count, every revocation after the grant it names', () => {
    const consent = [...consentLoad(world, () => sessionConsents(world)).rows()]
    expect(consent).toHaveLength(1501)
    const byId = new Map(consent.map((r) => [r.id as string, r]))
    expect(byId.size).toBe(1501)
    const revocations = consent.filter((r) => !r.granted)
    expect(revocations.length).toBeGreaterThan(0)
    for (const r of revocations) {
      expect((r.revoked_at as Date).getTime()).toBeGreaterThan((r.granted_at as Date).getTime())
      const grant = byId.get(r.revokes_id as string)
      expect(grant).toMatchObject({ granted: true, tenant_id: r.tenant_id, user_id: r.user_id, consent_type: r.consent_type, revokes_id: null })
      expect((grant!.created_at as Date).getTime()).toBeLessThanOrEqual((r.created_at as Date).getTime())
    }
    expect(new Set(revocations.map((r) => r.revokes_id)).size).toBe(revocations.length)
    expect(consent.every((r) => /^[0-9a-f]{64}$/.test(r.evidence_hash as string) && !('ip' in (r.consent_details as object)))).toBe(true)
  })

  it('gives every consenting session a data_processing grant of its own user', () => {
    const consent = new Map([...consentLoad(world, () => sessionConsents(world)).rows()].map((r) => [r.id as string, r]))
    const sessions = [...activityLoads(world).find((l) => l.table === 'sessions')!.rows()]
    const consenting = sessions.filter((s) => s.consent_flag)
    expect(consenting.length).toBeGreaterThan(0)
    for (const s of sessions) {
      if (!s.consent_flag) {
        expect(s.consent_record_id).toBeNull()
        continue
      }
      expect(consent.get(s.consent_record_id as string)).toMatchObject({ granted: true, tenant_id: s.tenant_id, user_id: s.user_id, consent_type: 'data_processing' })
    }
  })

  it('numbers audit rows in time order and includes the story of every status change', () => {
    const tenantRows = new Map(tenantLoads(world).map((l) => [l.table, [...l.rows()]]))
    const market = buildMarketplace(world)
    const audit = [
      ...auditLoad(world, {
        tenants: tenantRows.get('tenants')!,
        domains: tenantRows.get('tenant_domains')!,
        limits: tenantRows.get('tenant_limits')!,
        credentials: tenantRows.get('tenant_credentials')!,
        assignments: operatorAssignments(world),
        grants: breakGlassHistory(world),
        market
      }).rows()
    ]
    expect(audit).toHaveLength(2000)
    audit.forEach((row, i) => expect(row.seq).toBe(i + 1))
    for (let i = 1; i < audit.length; i++) expect((audit[i]!.created_at as Date).getTime()).toBeGreaterThanOrEqual((audit[i - 1]!.created_at as Date).getTime())
    for (const t of world.tenants.filter((x) => x.status !== 'active')) {
      const row = audit.find((r) => r.resource_type === 'tenants' && r.resource_id === t.id && (r.new_values as { status?: string }).status === t.status)
      expect(row, t.slug).toBeDefined()
      expect(row!.actor).toBe('gen_javier_admin')
    }
    const rejected = market.templates.filter((t) => t.status === 'rejected')
    expect(rejected.length).toBeGreaterThan(0)
    for (const t of rejected) expect(audit.some((r) => r.resource_type === 'templates' && r.resource_id === t.id && r.actor === 'gen_carmen_moderator')).toBe(true)
  })
})
