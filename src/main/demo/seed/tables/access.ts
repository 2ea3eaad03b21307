import { Rng } from '../prng'
import { addMs, daysBefore } from '../time'
import type { World } from '../world'
import type { Row, TableLoad } from './types'

/** Operator assignments: support staff split by language, the admin on all tenants. */
export function operatorAssignments(world: World): Row[] {
  const rng = new Rng(world.seed, 'operator-tenants')
  const rows: Row[] = []
  const at = daysBefore(world.anchor, 120)
  for (const op of world.operators) {
    const targets =
      op.assignment === 'all' ? [null]
      : op.assignment === 'spanish' ? world.tenants.filter((t) => t.company.language === 'es').map((t) => t.id)
      : op.assignment === 'english' ? world.tenants.filter((t) => t.company.language === 'en').map((t) => t.id)
      : []
    for (const tenantId of targets) rows.push({ id: rng.uuid(), operator: op.name, tenant_id: tenantId, created_at: at, updated_at: at })
  }
  return rows
}

/** Past, expired break-glass grants: a support agent reached a tenant outside his assignment, with a reason. */
export function breakGlassHistory(world: World): Row[] {
  const rng = new Rng(world.seed, 'break-glass')
  const support = world.operators.filter((o) => o.groups.includes('support'))
  const rows: Row[] = []
  const reasons = [
    'Cliente llama por teléfono: el bot no responde en WhatsApp desde esta mañana (ticket #4411)',
    'Escalation from the on-call engineer: failed executions spike for this tenant, ticket #5120'
  ]
  support.forEach((op, i) => {
    const other = world.tenants.filter((t) => (op.assignment === 'spanish' ? t.company.language === 'en' : t.company.language === 'es'))
    if (other.length === 0) return
    const tenant = rng.pick(other)
    const granted = addMs(daysBefore(world.anchor, rng.int(3, 30)), rng.int(8, 18) * 3_600_000)
    const expires = addMs(granted, rng.pick([30, 60, 120]) * 60_000)
    rows.push({ id: rng.uuid(), operator: op.name, tenant_id: tenant.id, reason: reasons[i % reasons.length], granted_at: granted, expires_at: expires, created_at: granted, updated_at: granted })
  })
  return rows
}

export function accessLoads(assignments: Row[], grants: Row[]): TableLoad[] {
  return [
    { table: 'operator_tenants', planned: assignments.length, rows: () => assignments },
    { table: 'break_glass_grants', planned: grants.length, rows: () => grants }
  ]
}
