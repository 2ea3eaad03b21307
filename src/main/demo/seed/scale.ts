export type SeedScale = 'demo' | 'bench'

/** How much of everything one scale loads. Bench figures are the targets, exactly. */
export interface ScaleProfile {
  tenants: number
  usersPerTenant: [min: number, max: number]
  workflowsPerTenant: [min: number, max: number]
  sessionsPerTenant: number
  conversationsPerSession: [min: number, max: number]
  executions: number
  /** Steps are kept for the newest executions until this many are loaded (n8n prunes old run data). */
  executionSteps: number | 'all'
  auditLogs: number
  usageRecords: number
  templates: number
  purchasesPerTemplate: [min: number, max: number]
  reviewsPerTemplate: [min: number, max: number]
  consentRecords: number
  /** Messages of the one customer who wrote the most (access export and erasure at size). */
  heavyPersonMessages: number
  events: number
  /** Days of history behind the anchor. */
  historyDays: number
}

export const SCALES: Record<SeedScale, ScaleProfile> = {
  demo: {
    tenants: 30,
    usersPerTenant: [3, 7],
    workflowsPerTenant: [3, 6],
    sessionsPerTenant: 24,
    conversationsPerSession: [1, 5],
    executions: 2400,
    executionSteps: 'all',
    auditLogs: 1500,
    usageRecords: 9000,
    templates: 40,
    purchasesPerTemplate: [0, 5],
    reviewsPerTemplate: [0, 5],
    consentRecords: 1200,
    heavyPersonMessages: 10_000,
    events: 12000,
    historyDays: 90
  },
  bench: {
    tenants: 500,
    usersPerTenant: [3, 7],
    workflowsPerTenant: [3, 8],
    sessionsPerTenant: 20,
    conversationsPerSession: [1, 4],
    executions: 1_000_000,
    executionSteps: 1_000_000,
    auditLogs: 1_000_000,
    usageRecords: 2_000_000,
    templates: 5_000,
    purchasesPerTemplate: [0, 3],
    reviewsPerTemplate: [0, 3],
    consentRecords: 200_000,
    heavyPersonMessages: 10_000,
    events: 100_000,
    historyDays: 90
  }
}
