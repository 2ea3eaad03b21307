import { describe, expect, expectTypeOf, it } from 'vitest'
import { createDispatcher } from '../../src/main/rpc/dispatch'
import { handlers } from '../../src/main/rpc/handlers'
import { createClient } from '../../src/shared/rpc/client'
import { RpcError } from '../../src/shared/rpc/errors'
import type { ConnectionStatus } from '../../src/shared/rpc/areas/system'
import { fixedBackend } from './fixed-backend'

const dispatch = createDispatcher(handlers, () => ({ backend: fixedBackend(), emit: () => {} }))

describe('createClient', () => {
  it('resolves outputs through both call styles', async () => {
    const client = createClient(dispatch)
    const status = await client['system.status']({})
    expectTypeOf(status).toEqualTypeOf<ConnectionStatus>()
    expect(status.state).toBe('connecting')
    expect(await client.call('system.ping', {})).toMatchObject({ ok: true })
  })

  it('accepts a ConsoleApi-like object as the transport', async () => {
    const client = createClient({ call: dispatch })
    expect((await client.call('system.status', {})).profileId).toBe('demo')
  })

  it('throws a typed RpcError carrying code, retryable and issues', async () => {
    const client = createClient(dispatch)
    // @ts-expect-error the types refuse what the server would refuse
    const failed = client.call('system.ping', { nope: true })
    await expect(failed).rejects.toBeInstanceOf(RpcError)
    await failed.catch((error: RpcError) => {
      expect(error.code).toBe('BAD_INPUT')
      expect(error.retryable).toBe(false)
      expect(error.issues?.length).toBe(1)
    })
  })

  it('has exactly one function per procedure besides call', () => {
    const client = createClient(dispatch)
    expect(Object.keys(client).sort()).toEqual(['call', ...Object.keys(handlers)].sort())
  })
})
