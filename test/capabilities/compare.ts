import type pg from 'pg'
import { CAPABILITIES, CAPABILITY_NAMES, OPERATOR_GROUPS, type CapabilityRule, type DatabaseNeed } from '../../src/shared/capabilities'

export interface Disagreement {
  capability: string
  group: string
  /** What src/shared/capabilities.ts says, and what the database's grants allow. */
  table: boolean
  database: boolean
}

/** One boolean expression per need, for the group role in $1. */
function needCheck(need: DatabaseNeed, values: unknown[]): string {
  const param = (value: unknown) => `$${values.push(value) + 1}::text`
  if ('function' in need) return `has_function_privilege($1::name, ${param(need.function)}, 'EXECUTE')`
  if (!need.columns) return `has_table_privilege($1::name, ${param(need.table)}, ${param(need.privilege)})`
  return need.columns.map((column) => `has_column_privilege($1::name, ${param(need.table)}, ${param(column)}, ${param(need.privilege)})`).join(' and ')
}

/**
 * Compares the capability table with the grants of the database `client` is connected to (role
 * names `<rolePrefix>_<group>`): a group has a capability in the database when it holds every
 * privilege the capability needs. Both directions count: a screen that offers what the database
 * refuses, and a database that allows what the screen hides.
 */
export async function compareWithGrants(client: pg.ClientBase, rolePrefix: string): Promise<Disagreement[]> {
  const found: Disagreement[] = []
  for (const capability of CAPABILITY_NAMES) {
    const rule: CapabilityRule = CAPABILITIES[capability]
    const values: unknown[] = []
    const checks = rule.needs.map((need) => needCheck(need, values))
    for (const group of OPERATOR_GROUPS) {
      const { rows } = await client.query<{ allowed: boolean }>(`select ${checks.length ? checks.join(' and ') : '$1::name is not null'} as allowed`, [
        `${rolePrefix}_${group}`,
        ...values
      ])
      const table = rule.groups.includes(group)
      const database = rows[0]!.allowed
      if (table !== database) found.push({ capability, group, table, database })
    }
  }
  return found
}
