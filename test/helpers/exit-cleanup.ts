import { constants } from 'node:os'

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/**
 * Runs `cleanup` (synchronous) if the process ends before the caller's own cleanup: vitest
 * answers Ctrl-C and SIGTERM with process.exit(), which skips global teardowns and afterAll but
 * not the 'exit' event, and a signal's default action would skip even that. Returns the
 * function that removes these hooks once the caller has cleaned up itself.
 */
export function cleanUpOnExit(cleanup: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    release()
    cleanup()
    // A runner that listens for the signal (vitest, Playwright) ends the process its own way;
    // otherwise do what the signal would have done, which listening to it prevents.
    if (process.listenerCount(signal) === 0) process.exit(128 + (constants.signals[signal] ?? 0))
  }
  const onExit = () => {
    release()
    cleanup()
  }
  function release() {
    process.off('exit', onExit)
    for (const signal of SIGNALS) process.off(signal, onSignal)
  }
  process.once('exit', onExit)
  for (const signal of SIGNALS) process.once(signal, onSignal)
  return release
}
