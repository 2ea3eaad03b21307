import type { Backend } from '../../src/main/backend-types'

/**
 * The RPC layer's tests exercise dispatch and transports, not the backend (tested with a real
 * database and keychain elsewhere): the system handlers read status() only, so this backend has
 * just that, answering what the real one reports while it connects.
 */
export function fixedBackend(): Backend {
  const backend: Pick<Backend, 'db' | 'dataDir' | 'status'> = {
    db: null,
    dataDir: '/nonexistent',
    status: () => ({
      state: 'connecting',
      profileId: 'demo',
      profileName: 'Demo',
      demo: true,
      lastSyncAt: null,
      operator: null,
      groups: []
    })
  }
  return backend as Backend
}
