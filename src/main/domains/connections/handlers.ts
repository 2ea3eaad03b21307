import type { AreaHandlers } from '../../rpc/types'

export const connectionsHandlers: AreaHandlers<'connections'> = {
  'connections.list': async (_input, { backend }) => ({ connections: await backend.connections.list() }),
  'connections.save': async (input, { backend }) => backend.connections.save(input),
  'connections.test': async (input, { backend }) => backend.connections.test(input),
  'connections.remove': async ({ id }, { backend }) => {
    await backend.connections.remove(id)
    return { id }
  },
  'connections.activate': async ({ id }, { backend }) => backend.connections.activate(id),
  'connections.demoOperators': async (_input, { backend }) => ({ operators: backend.connections.demoOperators() }),
  'connections.signInDemoAs': async ({ group }, { backend }) => backend.connections.signInDemoAs(group)
}
