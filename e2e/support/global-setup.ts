import { startConsoleServer } from './console-server'

/**
 * One console for the suite, started from an empty data directory, so the first test sees the
 * embedded demo database being created. Specs read its launch URL from CONSOLE_URL.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await startConsoleServer()
  process.env.CONSOLE_URL = server.url
  return () => server.stop()
}
