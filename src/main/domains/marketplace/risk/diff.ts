import { readWorkflow } from './workflow'
import type { WorkflowEdge, WorkflowNode } from './types'

export interface ParameterChange {
  /** Dotted path inside the node ('type', 'credentials.x', 'parameters.url' …). */
  path: string
  before: unknown
  after: unknown
}

export interface NodeRef {
  id: string
  name: string
  type: string
}

export interface WorkflowDiff {
  added: NodeRef[]
  removed: NodeRef[]
  changed: (NodeRef & { changes: ParameterChange[] })[]
  edgesAdded: WorkflowEdge[]
  edgesRemoved: WorkflowEdge[]
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Leaf-level differences between two JSON values (arrays compared by position). */
function diffValues(before: unknown, after: unknown, path: string, out: ParameterChange[], depth = 0): void {
  const bothObjects = (isPlainObject(before) && isPlainObject(after)) || (Array.isArray(before) && Array.isArray(after))
  if (bothObjects && depth < 32) {
    const b = before as Record<string, unknown>
    const a = after as Record<string, unknown>
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    for (const key of keys) diffValues(b[key], a[key], path ? `${path}.${key}` : key, out, depth + 1)
    return
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path, before, after })
}

const ref = (n: WorkflowNode): NodeRef => ({ id: n.id, name: n.name, type: n.type })
const edgeKey = (e: WorkflowEdge) => `${e.from}\u0000${e.to}`

/**
 * What a resubmission changed: nodes matched by id (n8n keeps ids across edits), then by name
 * for exports without ids. Unreadable input counts as a workflow without nodes.
 */
export function diffWorkflows(beforeInput: unknown, afterInput: unknown): WorkflowDiff {
  const before = readWorkflow(beforeInput) ?? { nodes: [], edges: [] }
  const after = readWorkflow(afterInput) ?? { nodes: [], edges: [] }
  const beforeById = new Map(before.nodes.map((n) => [n.id, n]))
  const beforeByName = new Map(before.nodes.map((n) => [n.name, n]))
  const matched = new Set<string>()
  const diff: WorkflowDiff = { added: [], removed: [], changed: [], edgesAdded: [], edgesRemoved: [] }
  // Edges are compared by the before-side id of each node.
  const rename = new Map<string, string>()

  for (const node of after.nodes) {
    const old = beforeById.get(node.id) ?? beforeByName.get(node.name)
    if (!old || matched.has(old.id)) {
      diff.added.push(ref(node))
      continue
    }
    matched.add(old.id)
    rename.set(node.id, old.id)
    const changes: ParameterChange[] = []
    diffValues(old.name, node.name, 'name', changes)
    diffValues(old.type, node.type, 'type', changes)
    diffValues(old.parameters, node.parameters, 'parameters', changes)
    diffValues(old.credentials, node.credentials, 'credentials', changes)
    if (changes.length > 0) diff.changed.push({ ...ref(node), changes })
  }
  for (const node of before.nodes) if (!matched.has(node.id)) diff.removed.push(ref(node))

  const beforeEdges = new Set(before.edges.map(edgeKey))
  const afterEdges = after.edges.map((e) => ({ from: rename.get(e.from) ?? e.from, to: rename.get(e.to) ?? e.to }))
  const afterKeys = new Set(afterEdges.map(edgeKey))
  diff.edgesAdded = afterEdges.filter((e) => !beforeEdges.has(edgeKey(e)))
  diff.edgesRemoved = before.edges.filter((e) => !afterKeys.has(edgeKey(e)))
  return diff
}
