import { describe, expect, it } from 'vitest'
import { templateWorkflow } from '../../src/main/demo/seed/pools/workflows'
import { Rng } from '../../src/main/demo/seed/prng'
import { readWorkflow } from '../../src/main/domains/marketplace/risk/workflow'
import { DAGRE_MAX_NODES, layeredLayout, layoutWorkflow, NODE_HEIGHT, NODE_WIDTH, type Placed } from '../../src/renderer/src/areas/Marketplace/layout'

/** The review screen's automatic layout: every node placed, none on top of another, flow left to right. */
function overlaps(placed: Map<string, Placed>): number {
  const boxes = [...placed.values()]
  let count = 0
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!
      const b = boxes[j]!
      if (Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT) count++
    }
  }
  return count
}

const graph = (n: number, edges: [number, number][]) => ({
  nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, name: `N${i}`, type: 'x', parameters: {}, credentials: {} })),
  edges: edges.map(([a, b]) => ({ from: `n${a}`, to: `n${b}` }))
})

describe('the workflow layout', () => {
  it('places a small workflow with dagre: every node, no overlap, each connection left to right', () => {
    const small = graph(5, [[0, 1], [1, 2], [1, 3], [3, 4]])
    const placed = layoutWorkflow(small)
    expect(placed.size).toBe(5)
    expect(overlaps(placed)).toBe(0)
    for (const e of small.edges) expect(placed.get(e.to)!.x).toBeGreaterThan(placed.get(e.from)!.x)
  })

  it('lays out a loop and a self-link without failing, and ranks the rest left to right', () => {
    const looped = graph(4, [[0, 1], [1, 2], [2, 1], [2, 3], [3, 3]])
    const placed = layeredLayout(looped)
    expect(placed.size).toBe(4)
    expect(overlaps(placed)).toBe(0)
    expect(placed.get('n0')!.x).toBeLessThan(placed.get('n1')!.x)
    expect(placed.get('n2')!.x).toBeLessThan(placed.get('n3')!.x)
  })

  it('lays out the seed’s 500-node workflow (layered: beyond dagre’s size) in well under 200 ms, without overlaps', () => {
    const big = readWorkflow(templateWorkflow('giant', 'Bulk import', new Rng(11, 'layout', 1), 500))!
    expect(big.nodes.length).toBeGreaterThan(DAGRE_MAX_NODES)
    layoutWorkflow(big)
    const started = performance.now()
    const placed = layoutWorkflow(big)
    const ms = performance.now() - started
    expect(placed.size).toBe(500)
    expect(overlaps(placed)).toBe(0)
    for (const e of big.edges) expect(placed.get(e.to)!.x).toBeGreaterThan(placed.get(e.from)!.x)
    expect(ms).toBeLessThan(100)
  })
})
