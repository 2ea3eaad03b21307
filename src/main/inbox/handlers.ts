import type { AreaHandlers } from '../rpc/types'
import { collectInbox } from './collect'
import { inboxProviders } from './providers'

export const inboxHandlers: AreaHandlers<'inbox'> = {
  'inbox.list': async (_input, { backend }) => collectInbox(backend, inboxProviders, new Date(), (line) => console.warn(line))
}
