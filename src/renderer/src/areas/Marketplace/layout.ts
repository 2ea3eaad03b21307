import { Graph, layout } from '@dagrejs/dagre'
import type { WorkflowGraph } from '../../../../shared/rpc/areas/marketplace'

export const NODE_WIDTH = 180
export const NODE_HEIGHT = 48
const NODE_GAP = 24
const RANK_GAP = 64
/**
 * Above this many nodes dagre's crossing minimisation and positioning took 1 to 2 s for the seed's
 * 500-node workflow on the bench machine (bench/marketplace.ts), far over the review screen's
 * 200 ms; such graphs get the linear layered layout below instead.
 */
export const DAGRE_MAX_NODES = 150

export interface Placed {
  id: string
  x: number
  y: number
}

type Shape = Pick<WorkflowGraph, 'nodes' | 'edges'>

function dagreLayout(graph: Shape): Map<string, Placed> {
  const g = new Graph({ multigraph: false })
  g.setGraph({ rankdir: 'LR', nodesep: NODE_GAP, ranksep: RANK_GAP, marginx: 16, marginy: 16 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const node of graph.nodes) g.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT })
  for (const edge of graph.edges) if (edge.from !== edge.to) g.setEdge(edge.from, edge.to)
  layout(g)
  const placed = new Map<string, Placed>()
  for (const node of graph.nodes) {
    const at = g.node(node.id)
    // dagre gives centres; React Flow wants top-left corners.
    placed.set(node.id, { id: node.id, x: (at?.x ?? 0) - NODE_WIDTH / 2, y: (at?.y ?? 0) - NODE_HEIGHT / 2 })
  }
  return placed
}

/**
 * The same left-to-right layers in linear time: edges that close a loop are ignored for ranking
 * (found by an iterative depth-first search), each node goes one layer after its latest
 * predecessor (longest path), and each layer is ordered once by the mean position of its
 * predecessors (barycentre), which keeps a chain straight and a hub's targets together.
 */
export function layeredLayout(graph: Shape): Map<string, Placed> {
  const ids = graph.nodes.map((n) => n.id)
  const next = new Map<string, string[]>(ids.map((id) => [id, []]))
  for (const e of graph.edges) if (e.from !== e.to && next.has(e.to)) next.get(e.from)?.push(e.to)

  // Back edges (to a node still on the DFS stack) close loops: leave them out of the ranking.
  const state = new Map<string, 1 | 2>()
  const forward = new Map<string, string[]>(ids.map((id) => [id, []]))
  for (const root of ids) {
    if (state.has(root)) continue
    const stack: { id: string; i: number }[] = [{ id: root, i: 0 }]
    state.set(root, 1)
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!
      const targets = next.get(top.id)!
      if (top.i < targets.length) {
        const to = targets[top.i++]!
        if (state.get(to) === 1) continue
        forward.get(top.id)!.push(to)
        if (!state.has(to)) {
          state.set(to, 1)
          stack.push({ id: to, i: 0 })
        }
      } else {
        state.set(top.id, 2)
        stack.pop()
      }
    }
  }

  // Longest-path layering in topological order (Kahn).
  const incoming = new Map<string, number>(ids.map((id) => [id, 0]))
  const predecessors = new Map<string, string[]>(ids.map((id) => [id, []]))
  for (const [from, tos] of forward) for (const to of tos) {
    incoming.set(to, incoming.get(to)! + 1)
    predecessors.get(to)!.push(from)
  }
  const rank = new Map<string, number>(ids.map((id) => [id, 0]))
  const queue = ids.filter((id) => incoming.get(id) === 0)
  for (let q = 0; q < queue.length; q++) {
    const id = queue[q]!
    for (const to of forward.get(id)!) {
      rank.set(to, Math.max(rank.get(to)!, rank.get(id)! + 1))
      incoming.set(to, incoming.get(to)! - 1)
      if (incoming.get(to) === 0) queue.push(to)
    }
  }

  const layers: string[][] = []
  for (const id of queue) (layers[rank.get(id)!] ??= []).push(id)
  const order = new Map<string, number>()
  for (const layer of layers) {
    if (!layer) continue
    const mean = (id: string) => {
      const ps = predecessors.get(id)!.filter((p) => order.has(p))
      return ps.length === 0 ? Number.POSITIVE_INFINITY : ps.reduce((sum, p) => sum + order.get(p)!, 0) / ps.length
    }
    const keyed = layer.map((id, i) => ({ id, key: mean(id), i }))
    keyed.sort((a, b) => a.key - b.key || a.i - b.i)
    keyed.forEach(({ id }, i) => order.set(id, i))
  }

  const placed = new Map<string, Placed>()
  for (const [r, layer] of layers.entries()) {
    if (!layer) continue
    // Each layer centred on the first one's axis.
    const offset = ((layer.length - 1) * (NODE_HEIGHT + NODE_GAP)) / 2
    for (const id of layer) placed.set(id, { id, x: 16 + r * (NODE_WIDTH + RANK_GAP), y: 16 + order.get(id)! * (NODE_HEIGHT + NODE_GAP) - offset })
  }
  return placed
}

/**
 * Left-to-right layered layout: a workflow reads from its trigger to its last step. dagre for
 * workflows of ordinary size, the linear layered layout for large ones. The export's own
 * positions are ignored on purpose: a submitter can stack nodes on top of one another to hide
 * them. Pure, so the bench times it under Node.
 */
export function layoutWorkflow(graph: Shape): Map<string, Placed> {
  return graph.nodes.length > DAGRE_MAX_NODES ? layeredLayout(graph) : dagreLayout(graph)
}
