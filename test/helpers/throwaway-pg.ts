/** What the suite needs of a throwaway cluster, whichever PostgreSQL runs it (Debian's or embedded). */
export interface ThrowawayServer {
  host: string
  port: number
  adminUser: string
  adminPassword: string
  /** Stops the server and deletes its data (which also happens if the process ends first). */
  stop(): Promise<void>
}

/** The server settings of every throwaway cluster, as [name, value]. */
export const THROWAWAY_SETTINGS: readonly (readonly [string, string])[] = [
  // Loopback TCP only: no unix socket in a shared folder, nothing reachable from outside.
  ['listen_addresses', '127.0.0.1'],
  ['unix_socket_directories', ''],
  ['password_encryption', 'scram-sha-256'],
  // A throwaway cluster: durability buys nothing and costs the suite time.
  ['fsync', 'off']
]

/** A cluster started with THROWAWAY_SETTINGS on a loopback `port`, its admin 'postgres'. */
export function throwawayServer(port: number, adminPassword: string, stop: () => Promise<void>): ThrowawayServer {
  return { host: '127.0.0.1', port, adminUser: 'postgres', adminPassword, stop }
}
