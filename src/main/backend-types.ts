import type { Database } from './db/types'
import type { ConnectionStatus } from '../shared/rpc/areas/system'

/**
 * Everything the handlers can reach. Built once per shell by createBackend (src/main/backend.ts);
 * the Electron shell and the browser-mode server wrap the same object.
 */
export interface Backend {
  /** Null while connecting or offline. Handlers that need it throw RpcError('OFFLINE'). */
  db: Database | null
  status(): ConnectionStatus
  dataDir: string
}
