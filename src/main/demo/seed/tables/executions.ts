import { exchange } from '../pools/conversations'
import { executionFailure, type ExecutionFailure } from '../pools/execution-errors'
import { workflowDefinition, type WorkflowNode } from '../pools/workflows'
import { pgArray } from '../copy-text'
import { Rng } from '../prng'
import { addMs, spreadOverHistory } from '../time'
import type { TenantSeed, World, WorkflowSeed } from '../world'
import type { Row, TableLoad } from './types'

type ExecutionStatus = 'success' | 'error' | 'canceled' | 'crashed' | 'running' | 'waiting'

export interface ExecutionPlan {
  index: number
  id: string
  tenant: TenantSeed
  workflow: WorkflowSeed
  status: ExecutionStatus
  startedAt: Date
  /** Milliseconds each node ran; nodes after a failure or cancel did not run. */
  stepDurations: number[]
  failure: (ExecutionFailure & { nodeIndex: number }) | null
  triggeredBy: string | null
  message: string
  response: string
}

function nodeDuration(rng: Rng, node: WorkflowNode): number {
  if (node.type.includes('langchain')) return rng.int(700, 6500)
  if (node.type.includes('Trigger') || node.type.endsWith('webhook')) return rng.int(2, 30)
  if (node.type.endsWith('.if') || node.type.endsWith('.set')) return rng.int(1, 8)
  return rng.int(120, 1800)
}

/** Execution `index` derived from the seed alone: steps are generated in a second pass without keeping executions in memory. */
export function executionPlan(world: World, index: number): ExecutionPlan {
  const rng = new Rng(world.seed, 'execution', index)
  const startedAt = spreadOverHistory(rng, world.anchor, world.profile.historyDays, index, world.profile.executions)
  let tenant = world.pickTenant(rng)
  // A suspended or closed tenant's workflows stop running when its status changed.
  for (let tries = 0; tenant.statusChangedAt && startedAt > tenant.statusChangedAt && tries < 8; tries++) tenant = world.pickTenant(rng)
  const workflow = rng.pick(tenant.workflows)
  const nodes = workflow.blueprint.nodes
  const recent = world.anchor.getTime() - startedAt.getTime() < 15 * 60_000
  const status: ExecutionStatus = recent
    ? rng.weighted([['running', 3], ['waiting', 1], ['success', 4]] as const)
    : rng.weighted([['success', 86], ['error', 10], ['canceled', 2.5], ['crashed', 1.5]] as const)
  const failure = status === 'error' || status === 'crashed' ? executionFailure(rng, nodes, startedAt) : null
  const ran = failure ? failure.nodeIndex + 1 : status === 'canceled' ? rng.int(1, nodes.length - 1) : status === 'running' || status === 'waiting' ? rng.int(1, nodes.length - 1) : nodes.length
  const stepDurations = nodes.slice(0, ran).map((n) => nodeDuration(rng, n))
  if (failure && failure.message.includes('timed out')) stepDurations[failure.nodeIndex] = 300_000
  if (failure && failure.message.startsWith('Timeout after 30000')) stepDurations[failure.nodeIndex] = 30_000 + rng.int(0, 40)
  const ex = exchange(rng, tenant.company.industry, tenant.company.language)
  return {
    index,
    id: rng.uuid(),
    tenant,
    workflow,
    status,
    startedAt,
    stepDurations,
    failure,
    triggeredBy: workflow.blueprint.trigger === 'manual' || rng.chance(0.05) ? rng.pick(tenant.users).id : null,
    message: ex.message,
    response: ex.response
  }
}

function finished(plan: ExecutionPlan): Date | null {
  if (plan.status === 'running' || plan.status === 'waiting') return null
  return addMs(plan.startedAt, plan.stepDurations.reduce((a, b) => a + b, 0))
}

function stepRows(world: World, plan: ExecutionPlan): Row[] {
  const rng = new Rng(world.seed, 'steps', plan.index)
  const nodes = plan.workflow.blueprint.nodes
  const rows: Row[] = []
  let at = plan.startedAt
  nodes.forEach((node, i) => {
    const ran = i < plan.stepDurations.length
    const isLastRan = i === plan.stepDurations.length - 1
    const failedHere = plan.failure?.nodeIndex === i
    const status = failedHere ? 'error' : !ran ? 'skipped' : isLastRan && (plan.status === 'running' || plan.status === 'waiting') ? plan.status : 'success'
    const duration = ran ? plan.stepDurations[i]! : 0
    const completed = status === 'running' || status === 'waiting' || status === 'skipped' ? null : addMs(at, duration)
    rows.push({
      id: rng.uuid(),
      tenant_id: plan.tenant.id,
      execution_id: plan.id,
      step_index: i,
      step_name: node.name,
      status,
      started_at: ran ? at : null,
      completed_at: completed,
      input_data: ran ? (i === 0 ? { text: plan.message } : { items: 1 }) : null,
      output_data: status === 'success' ? (node.type.includes('langchain') ? { text: plan.response, tokens: rng.int(80, 900) } : { ok: true }) : null,
      error_message: failedHere && plan.failure ? plan.failure.message : null,
      created_at: at,
      updated_at: completed ?? at
    })
    at = addMs(at, duration)
  })
  return rows
}

export function executionLoads(world: World): TableLoad[] {
  const { tenants, seed, profile } = world
  const stepTarget = profile.executionSteps
  let allSteps = 0
  if (stepTarget === 'all') for (let i = 0; i < profile.executions; i++) allSteps += executionPlan(world, i).workflow.blueprint.nodes.length

  return [
    {
      table: 'workflows',
      planned: tenants.reduce((n, t) => n + t.workflows.length, 0),
      *rows() {
        for (const t of tenants) {
          const rng = new Rng(seed, 'workflow-rows', t.index)
          for (const w of t.workflows) {
            const version = rng.int(1, 9)
            yield {
              id: w.id,
              tenant_id: t.id,
              author_user_id: w.authorId,
              name: w.name,
              description: w.blueprint.description[t.company.language],
              n8n_id: rng.hex(8),
              definition: workflowDefinition(w.blueprint, rng),
              settings: { saveDataErrorExecution: 'all', saveDataSuccessExecution: 'all', executionTimeout: 300, errorWorkflow: null },
              active: t.status === 'active' && rng.chance(0.85),
              tags: pgArray([...w.blueprint.tags]),
              version,
              created_at: w.createdAt,
              updated_at: addMs(w.createdAt, version * 86_400_000)
            }
          }
        }
      }
    },
    {
      table: 'executions',
      planned: profile.executions,
      *rows() {
        for (let i = 0; i < profile.executions; i++) {
          const plan = executionPlan(world, i)
          const end = finished(plan)
          const rng = new Rng(seed, 'execution-row', i)
          const input = plan.workflow.blueprint.trigger === 'schedule' ? { scheduledAt: plan.startedAt.toISOString() } : { channel: 'whatsapp', text: plan.message }
          yield {
            id: plan.id,
            tenant_id: plan.tenant.id,
            workflow_id: plan.workflow.id,
            workflow_name: plan.workflow.name,
            triggered_by_user_id: plan.triggeredBy,
            n8n_execution_id: String(100_000 + i),
            status: plan.status,
            input_data: input,
            output_data: plan.status === 'success' ? { reply: plan.response, tokens: rng.int(120, 1600) } : null,
            error_data: plan.failure?.errorData ?? (plan.status === 'canceled' ? { message: 'Execution was canceled by the user', canceledBy: 'ui' } : null),
            error_message: plan.failure?.message ?? null,
            execution_time_ms: end ? end.getTime() - plan.startedAt.getTime() : null,
            started_at: plan.startedAt,
            finished_at: end,
            created_at: plan.startedAt,
            updated_at: end ?? plan.startedAt
          }
        }
      }
    },
    {
      table: 'execution_steps',
      planned: stepTarget === 'all' ? allSteps : Math.min(stepTarget, profile.executions * 8),
      *rows() {
        if (stepTarget === 'all') {
          for (let i = 0; i < profile.executions; i++) yield* stepRows(world, executionPlan(world, i))
          return
        }
        // Newest executions keep their run data until the target is met, like n8n's pruning.
        let left = stepTarget
        for (let i = profile.executions - 1; i >= 0 && left > 0; i--) {
          for (const row of stepRows(world, executionPlan(world, i))) {
            if (left-- <= 0) break
            yield row
          }
        }
      }
    }
  ]
}
