import { describe, expect, it } from 'vitest'
import { createEventHub } from '../../src/main/rpc/events'
import type { ProgressEvent, ServerEvent } from '../../src/shared/events'

const progress = (jobId: string, done: number, finished = false): ProgressEvent => ({
  type: 'progress',
  jobId,
  kind: 'sync',
  label: jobId,
  done,
  total: 10,
  ...(finished ? { finished } : {})
})

describe('event hub', () => {
  it('delivers every event to every subscriber until it unsubscribes', () => {
    const hub = createEventHub()
    const a: ServerEvent[] = []
    const b: ServerEvent[] = []
    const stopA = hub.subscribe((e) => a.push(e))
    hub.subscribe((e) => b.push(e))
    hub.emit({ type: 'status', state: 'online' })
    stopA()
    hub.emit({ type: 'status', state: 'offline' })
    expect(a).toHaveLength(1)
    expect(b).toHaveLength(2)
  })

  it('a throwing listener is reported and does not starve the others', () => {
    const errors: unknown[] = []
    const hub = createEventHub((error) => errors.push(error))
    const seen: ServerEvent[] = []
    hub.subscribe(() => {
      throw new Error('socket gone')
    })
    hub.subscribe((e) => seen.push(e))
    hub.emit({ type: 'status', state: 'online' })
    expect(seen).toHaveLength(1)
    expect(errors).toHaveLength(1)
  })

  it('keeps the latest progress of each running job and forgets finished ones', () => {
    const hub = createEventHub()
    hub.emit(progress('sync', 1))
    hub.emit(progress('export', 4))
    hub.emit(progress('sync', 7))
    expect(hub.inFlight()).toEqual([progress('sync', 7), progress('export', 4)])
    hub.emit(progress('sync', 10, true))
    expect(hub.inFlight()).toEqual([progress('export', 4)])
  })
})
