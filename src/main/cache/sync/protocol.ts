import type { RpcErrorShape } from '../../../shared/rpc/errors'
import type { ConnectionConfig } from '../../db/types'
import type { SyncOptions, SyncProgress, SyncReport } from './engine'

/** Handed to the worker in memory only: the password never touches the disk or a log. */
export interface SyncWorkerData {
  connection: ConnectionConfig
  cacheFile: string
  options: SyncOptions
}

export type ToWorker = { type: 'sync' } | { type: 'stop' }

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; progress: SyncProgress }
  | { type: 'done'; report: SyncReport }
  | { type: 'failed'; error: RpcErrorShape }
  | { type: 'stopped' }
