import { version } from '../../../../package.json'
import type { AreaHandlers } from '../../rpc/types'

export const systemHandlers: AreaHandlers<'system'> = {
  'system.ping': async () => ({ ok: true, version }),
  'system.status': async (_input, { backend }) => backend.status(),
  'system.reconnect': async (_input, { backend }) => backend.reconnect()
}
