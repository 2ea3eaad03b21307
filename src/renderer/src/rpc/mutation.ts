import { useState } from 'react'
import { notifyError, notifySuccess } from '../stores/notify'

export interface MutationOutcome<T> {
  /** The confirmation toast; omit it where the result shows for itself on screen. */
  success?: (result: T) => string
  onSuccess?(result: T): void
  /** Besides the error toast, e.g. to put the server's field issues next to their fields. */
  onError?(error: unknown): void
  /**
   * True for an error the caller shows next to its field (through onError): it is told there only,
   * not also in a toast (a duplicate domain read as two different messages at once).
   */
  atField?(error: unknown): boolean
  /** After success or failure: re-enable what was disabled while it ran. */
  onSettled?(): void
}

/**
 * One write started from a control. Its outcome is always told (a toast on success when asked
 * for, an error toast on failure) and it never rejects, so a click handler can fire and forget.
 * Resolves to the result, or undefined when the write failed.
 */
export async function runMutation<T>(work: () => Promise<T>, outcome: MutationOutcome<T> = {}): Promise<T | undefined> {
  try {
    const result = await work()
    if (outcome.success) notifySuccess(outcome.success(result))
    outcome.onSuccess?.(result)
    return result
  } catch (error) {
    if (!outcome.atField?.(error)) notifyError(error)
    outcome.onError?.(error)
    return undefined
  } finally {
    outcome.onSettled?.()
  }
}

/** runMutation with its own "running" flag, for the button that starts it (disabled while it runs). */
export function useMutation<A extends unknown[], T>(work: (...args: A) => Promise<T>, outcome: MutationOutcome<T> = {}) {
  const [running, setRunning] = useState(false)
  const run = (...args: A): Promise<T | undefined> => {
    setRunning(true)
    return runMutation(() => work(...args), {
      ...outcome,
      onSettled: () => {
        setRunning(false)
        outcome.onSettled?.()
      }
    })
  }
  return { running, run }
}
