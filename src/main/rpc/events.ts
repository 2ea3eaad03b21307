import type { ProgressEvent, ServerEvent } from '../../shared/events'

export type EventListener = (event: ServerEvent) => void

export interface EventHub {
  emit(event: ServerEvent): void
  /** Returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void
  /** The latest progress of every job still running: what a renderer opened mid-job has missed. */
  inFlight(): ProgressEvent[]
}

/**
 * Fans server events out to every connected renderer (Electron windows, SSE streams). A listener
 * that throws is a broken transport, not a reason to starve the others.
 */
export function createEventHub(onListenerError: (error: unknown) => void = () => {}): EventHub {
  const listeners = new Set<EventListener>()
  const running = new Map<string, ProgressEvent>()
  return {
    emit(event) {
      if (event.type === 'progress') {
        if (event.finished) running.delete(event.jobId)
        else running.set(event.jobId, event)
      }
      for (const listener of [...listeners]) {
        try {
          listener(event)
        } catch (error) {
          onListenerError(error)
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    inFlight: () => [...running.values()]
  }
}
