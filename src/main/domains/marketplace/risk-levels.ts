import type { PoolClient } from 'pg'
import type { RiskLevel } from '../../../shared/rpc/areas/marketplace'
import { analyzeWorkflow } from './risk'

/*
 * The risk level of a version, remembered by its content hash. Versions are immutable and the
 * hash covers the definition (migrations/012), so a level computed once stays right for as long
 * as the process runs; the queue then analyzes only what it has not seen before. Bounded, oldest
 * entry out first, so a 50,000-template bench does not grow the main process without limit.
 */
const MAX_ENTRIES = 20_000
const levels = new Map<string, RiskLevel>()

function remember(hash: string, level: RiskLevel): void {
  if (levels.size >= MAX_ENTRIES) levels.delete(levels.keys().next().value!)
  levels.set(hash, level)
}

/** Levels for the given versions (id → hash), reading only the definitions not analyzed yet. */
export async function riskLevels(client: PoolClient, versions: readonly { versionId: string; hash: string }[]): Promise<Map<string, RiskLevel>> {
  const missing = [...new Set(versions.filter((v) => !levels.has(v.hash)).map((v) => v.versionId))]
  // In chunks: one 300-node definition is large, and a first risk filter may need thousands.
  for (let i = 0; i < missing.length; i += 200) {
    const { rows } = await client.query<{ content_hash: string; definition: unknown }>(
      'select content_hash, definition from public.template_versions where id = any($1::uuid[])',
      [missing.slice(i, i + 200)]
    )
    for (const row of rows) remember(row.content_hash, analyzeWorkflow(row.definition).level)
  }
  return new Map(versions.flatMap((v) => (levels.has(v.hash) ? [[v.versionId, levels.get(v.hash)!] as const] : [])))
}
