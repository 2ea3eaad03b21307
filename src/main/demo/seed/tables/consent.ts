import { CONSENT_SOURCES, CONSENT_TYPES, REVOCATION_REASONS } from '../pools/consent'
import { endUserId } from '../pools/people'
import { Rng } from '../prng'
import { addMs, DAY_MS, daysBefore } from '../time'
import type { World } from '../world'
import type { Row, TableLoad } from './types'

/**
 * One end user's consent history: a grant per purpose, some revoked later, a few granted again.
 * Rows are events (the table keeps history), in time order per user.
 */
function consentHistory(world: World, u: number): Row[] {
  const rng = new Rng(world.seed, 'consent-user', u)
  const tenant = world.pickTenant(rng)
  const channel = rng.pick(['whatsapp', 'web', 'instagram'])
  const userId = endUserId(rng, channel)
  const language = tenant.company.language
  const rows: Row[] = []
  const firstSeen = daysBefore(world.anchor, rng.next() * (world.profile.historyDays + 180))
  for (const { type, purpose } of rng.sample(CONSENT_TYPES, rng.int(1, 3))) {
    const grantedAt = addMs(firstSeen, rng.int(0, 600_000))
    const details = { source: rng.pick(CONSENT_SOURCES), policyVersion: rng.pick(['2024-03', '2025-01']), purpose: purpose[language], channel }
    rows.push({ id: rng.uuid(), tenant_id: tenant.id, user_id: userId, consent_type: type, granted: true, granted_at: grantedAt, revoked_at: null, consent_details: details, created_at: grantedAt, updated_at: grantedAt })
    // Marketing consents are revoked far more often than the one needed to answer at all.
    if (rng.chance(type.startsWith('marketing') ? 0.45 : 0.15)) {
      const revokedAt = new Date(Math.min(world.anchor.getTime() - 60_000, grantedAt.getTime() + rng.int(1, 60) * DAY_MS))
      rows.push({ id: rng.uuid(), tenant_id: tenant.id, user_id: userId, consent_type: type, granted: false, granted_at: grantedAt, revoked_at: revokedAt, consent_details: { ...details, reason: rng.pick(REVOCATION_REASONS) }, created_at: revokedAt, updated_at: revokedAt })
      if (rng.chance(0.2) && revokedAt.getTime() + DAY_MS < world.anchor.getTime()) {
        const again = addMs(revokedAt, rng.int(1, 20) * DAY_MS)
        if (again < world.anchor) rows.push({ id: rng.uuid(), tenant_id: tenant.id, user_id: userId, consent_type: type, granted: true, granted_at: again, revoked_at: null, consent_details: { ...details, source: 'web_widget', regranted: true }, created_at: again, updated_at: again })
      }
    }
  }
  return rows
}

export function consentLoad(world: World): TableLoad {
  const planned = world.profile.consentRecords
  return {
    table: 'user_consent',
    planned,
    *rows() {
      let left = planned
      for (let u = 0; left > 0; u++) {
        for (const row of consentHistory(world, u)) {
          if (left-- <= 0) return
          yield row
        }
      }
    }
  }
}
