import type { PoolClient } from 'pg'
import { LOW_CONFIDENCE_DEFAULT } from '../../../shared/rpc/areas/tenants'

/** The tenant's own handoff threshold (settings.handoffToHumanBelowConfidence) when it is a sane number. */
export async function lowConfidenceThreshold(client: PoolClient, tenantId: string): Promise<number> {
  const { rows } = await client.query<{ value: unknown }>(`select settings -> 'handoffToHumanBelowConfidence' as value from tenants where id = $1`, [tenantId])
  const value = rows[0]?.value
  return typeof value === 'number' && value > 0 && value <= 1 ? value : LOW_CONFIDENCE_DEFAULT
}
