import { Graph, layout } from '@dagrejs/dagre'
import type { WorkflowGraph } from '../../../../shared/rpc/areas/marketplace'

export const NODE_WIDTH = 180
export const NODE_HEIGHT = 48

export interface Placed {
  id: string
  x: number
  y: number
}

/**
 * Left-to-right layered layout (dagre): a workflow reads from its trigger to its last step. The
 * export's own positions are ignored on purpose: a submitter can stack nodes on top of one
 * another to hide them. Pure, so the bench times it under Node.
 */
export function layoutWorkflow(graph: Pick<WorkflowGraph, 'nodes' | 'edges'>): Map<string, Placed> {
  const g = new Graph({ multigraph: false })
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 64, marginx: 16, marginy: 16 })
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
