import type { Workflow } from './types'

export interface GraphShape {
  /** Distinct successors per node id. */
  fanOut: Map<string, number>
  /** Strongly connected components that form a loop (two or more nodes, or a node linked to itself). */
  loops: string[][]
}

/** Fan-out and loops of the connection graph (Tarjan's algorithm, iterative: a 10,000-node chain must not overflow the stack). */
export function graphShape(workflow: Workflow): GraphShape {
  const successors = new Map<string, Set<string>>()
  for (const node of workflow.nodes) successors.set(node.id, new Set())
  for (const { from, to } of workflow.edges) successors.get(from)?.add(to)

  const fanOut = new Map([...successors].map(([id, next]) => [id, next.size]))
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const loops: string[][] = []
  let counter = 0

  for (const root of successors.keys()) {
    if (index.has(root)) continue
    const work: { id: string; next: Iterator<string> }[] = []
    const enter = (id: string) => {
      index.set(id, counter)
      low.set(id, counter++)
      stack.push(id)
      onStack.add(id)
      work.push({ id, next: successors.get(id)![Symbol.iterator]() })
    }
    enter(root)
    while (work.length > 0) {
      const frame = work[work.length - 1]!
      const step = frame.next.next()
      if (!step.done) {
        const w = step.value
        if (!index.has(w)) enter(w)
        else if (onStack.has(w)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!))
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!))
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = []
        let w: string
        do {
          w = stack.pop()!
          onStack.delete(w)
          component.push(w)
        } while (w !== frame.id)
        if (component.length > 1 || successors.get(frame.id)!.has(frame.id)) loops.push(component.reverse())
      }
    }
  }
  return { fanOut, loops }
}
