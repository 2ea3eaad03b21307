import type { OperatorGroup } from '../../db/operators'

export interface DemoOperator {
  /** The database login role: `<rolePrefix>_<handle>`, so parallel databases of one cluster never share one. */
  name: string
  groups: OperatorGroup[]
  /** Which tenants it is assigned to; 'all' is an admin's all-tenants assignment. */
  assignment: 'all' | 'spanish' | 'english' | 'none'
}

const OPERATORS: readonly { handle: string; groups: OperatorGroup[]; assignment: DemoOperator['assignment'] }[] = [
  { handle: 'lucia_support', groups: ['support'], assignment: 'spanish' },
  { handle: 'james_support', groups: ['support'], assignment: 'english' },
  { handle: 'carmen_moderator', groups: ['moderator'], assignment: 'none' },
  // A second moderator: two people working one queue is what claims and stale-version conflicts are for.
  { handle: 'diego_moderator', groups: ['moderator'], assignment: 'none' },
  { handle: 'olivia_finance', groups: ['finance'], assignment: 'none' },
  { handle: 'javier_admin', groups: ['admin'], assignment: 'all' }
]

/** The demo's operators, one or more of each group. */
export function demoOperators(rolePrefix: string): DemoOperator[] {
  return OPERATORS.map((o) => ({ name: `${rolePrefix}_${o.handle}`, groups: [...o.groups], assignment: o.assignment }))
}

/** The operator of a group the console signs the demo in as (e.g. 'admin' sees every tenant). */
export function demoOperatorName(rolePrefix: string, group: OperatorGroup): string {
  const found = demoOperators(rolePrefix).find((o) => o.groups.includes(group))
  if (!found) throw new Error(`no demo operator in group ${group}`)
  return found.name
}
