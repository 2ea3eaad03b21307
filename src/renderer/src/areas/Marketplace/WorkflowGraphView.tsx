import { Background, Controls, MarkerType, ReactFlow, ReactFlowProvider, useReactFlow, type Edge, type Node, type NodeMouseHandler } from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import { useEffect, useMemo } from 'react'
import type { RiskLevel, WorkflowGraph } from '../../../../shared/rpc/areas/marketplace'
import { useT } from '../../i18n/useT'
import { layoutWorkflow } from './layout'
import { marketplaceCatalog } from './messages'

interface Props {
  graph: WorkflowGraph
  /** The worst finding per node id, to colour the nodes the risk panel talks about. */
  severity: ReadonlyMap<string, RiskLevel>
  selected: string | null
  onSelect(nodeId: string): void
}

/** The submitted workflow as React Flow draws it: laid out by dagre, pan and zoom, a click selects a node. */
function GraphCanvas({ graph, severity, selected, onSelect }: Props) {
  const t = useT(marketplaceCatalog)
  const flow = useReactFlow()
  const placed = useMemo(() => layoutWorkflow(graph), [graph])
  const nodes = useMemo<Node[]>(
    () =>
      graph.nodes.map((n) => {
        const at = placed.get(n.id)!
        const level = severity.get(n.id)
        return {
          id: n.id,
          position: { x: at.x, y: at.y },
          data: { label: n.name },
          className: `wf-node${level ? ` wf-node--${level}` : ''}${selected === n.id ? ' wf-node--selected' : ''}`,
          ariaLabel: `${n.name} (${n.type})${level ? `, ${t(`risk.${level}`)}` : ''}`,
          selected: selected === n.id,
          connectable: false,
          draggable: false
        }
      }),
    [graph, placed, severity, selected, t]
  )
  const edges = useMemo<Edge[]>(
    () => graph.edges.map((e, i) => ({ id: `e${i}`, source: e.from, target: e.to, markerEnd: { type: MarkerType.ArrowClosed }, focusable: false })),
    [graph]
  )
  // A finding chosen in the risk panel brings its node into view.
  useEffect(() => {
    if (!selected) return
    const at = placed.get(selected)
    if (at) void flow.setCenter(at.x + 90, at.y + 24, { zoom: Math.max(flow.getZoom(), 0.8), duration: 200 })
  }, [selected, placed, flow])
  const onNodeClick: NodeMouseHandler = (_event, node) => onSelect(node.id)
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      onNodeClick={onNodeClick}
      fitView
      minZoom={0.05}
      maxZoom={2}
      nodesDraggable={false}
      nodesConnectable={false}
      onlyRenderVisibleElements
    >
      <Background />
      <Controls showInteractive={false} />
    </ReactFlow>
  )
}

export function WorkflowGraphView(props: Props) {
  const t = useT(marketplaceCatalog)
  return (
    <div className="wf-graph" role="group" aria-label={t('graph.label', { nodes: props.graph.nodes.length, edges: props.graph.edges.length })} data-testid="workflow-graph">
      <ReactFlowProvider>
        <GraphCanvas {...props} />
      </ReactFlowProvider>
    </div>
  )
}
