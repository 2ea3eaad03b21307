import type { Workflow, WorkflowEdge, WorkflowNode } from './types'

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : ''
}

/**
 * Reads an n8n export ({nodes, connections}) leniently: a submission is untrusted input, and a
 * malformed part must not hide the rest. Connections are keyed by node name in n8n; nodes
 * without an id are known by their name.
 */
export function readWorkflow(input: unknown): Workflow | null {
  if (!isRecord(input) || !Array.isArray(input.nodes)) return null
  const nodes: WorkflowNode[] = []
  const idByName = new Map<string, string>()
  const ids = new Set<string>()
  input.nodes.forEach((raw: unknown, index: number) => {
    if (!isRecord(raw)) return
    const name = text(raw.name) || `#${index}`
    let id = text(raw.id) || name
    if (ids.has(id)) id = `${id}#${index}`
    ids.add(id)
    if (!idByName.has(name)) idByName.set(name, id)
    nodes.push({ id, name, type: text(raw.type), parameters: raw.parameters, credentials: isRecord(raw.credentials) ? raw.credentials : {} })
  })

  const edges: WorkflowEdge[] = []
  if (isRecord(input.connections)) {
    for (const [source, outputs] of Object.entries(input.connections)) {
      const from = idByName.get(source)
      if (!from || !isRecord(outputs)) continue
      for (const branches of Object.values(outputs)) {
        if (!Array.isArray(branches)) continue
        for (const branch of branches) {
          if (!Array.isArray(branch)) continue
          for (const link of branch) {
            const to = isRecord(link) ? idByName.get(text(link.node)) : undefined
            if (to) edges.push({ from, to })
          }
        }
      }
    }
  }
  return { nodes, edges }
}

export interface StringLeaf {
  path: string
  value: string
}

/** Every string inside a node's parameters, with its dotted path (bounded: a hostile export can be deep). */
export function stringLeaves(value: unknown, limit = 2000): StringLeaf[] {
  const leaves: StringLeaf[] = []
  const stack: { path: string; value: unknown; depth: number }[] = [{ path: '', value, depth: 0 }]
  while (stack.length > 0 && leaves.length < limit) {
    const item = stack.pop()!
    if (typeof item.value === 'string') leaves.push({ path: item.path, value: item.value })
    else if (item.depth < 32 && typeof item.value === 'object' && item.value !== null) {
      const entries = Array.isArray(item.value) ? item.value.map((v, i) => [String(i), v] as const) : Object.entries(item.value)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!
        stack.push({ path: item.path ? `${item.path}.${key}` : key, value: child, depth: item.depth + 1 })
      }
    }
  }
  return leaves
}
