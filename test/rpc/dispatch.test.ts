import { describe, expect, it } from 'vitest'
import { createDispatcher } from '../../src/main/rpc/dispatch'
import { handlers } from '../../src/main/rpc/handlers'
import type { HandlerContext, HandlerTable } from '../../src/main/rpc/types'
import { RpcError } from '../../src/shared/rpc/errors'
import { fixedBackend } from './fixed-backend'

const ctx = (): HandlerContext => ({ backend: fixedBackend(), emit: () => {} })

function withHandler(name: keyof HandlerTable, handler: (...args: never[]) => Promise<unknown>): HandlerTable {
  return { ...handlers, [name]: handler } as HandlerTable
}

describe('createDispatcher', () => {
  it('runs the real system handlers with a validated input and the context', async () => {
    const dispatch = createDispatcher(handlers, ctx)
    const ping = await dispatch('system.ping', {})
    expect(ping).toMatchObject({ ok: true, value: { ok: true } })
    expect(ping.ok && typeof (ping.value as { version: unknown }).version).toBe('string')
    expect(await dispatch('system.status', {})).toEqual({ ok: true, value: fixedBackend().status() })
  })

  it('reports schema problems with their paths', async () => {
    const dispatch = createDispatcher(handlers, ctx)
    const result = await dispatch('system.ping', { unexpected: 1 })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('BAD_INPUT')
    expect(result.error.issues?.[0]?.message).toMatch(/unrecognized/i)
  })

  it('an RpcError thrown by a handler passes through unchanged', async () => {
    const dispatch = createDispatcher(
      withHandler('system.status', async () => {
        throw new RpcError('OFFLINE', 'The database cannot be reached')
      }),
      ctx
    )
    expect(await dispatch('system.status', {})).toEqual({
      ok: false,
      error: { code: 'OFFLINE', message: 'The database cannot be reached', retryable: true }
    })
  })

  it('any other failure becomes a generic INTERNAL; the log gets a redacted detail', async () => {
    const logged: string[] = []
    const secret = 'S3cr3t-canary-pw'
    const dispatch = createDispatcher(
      withHandler('system.status', async () => {
        throw new Error(`connect failed for postgres://ops:${secret}@db.example:5432/console password=${secret}`)
      }),
      ctx,
      { logInternal: (name, detail) => logged.push(`${name}: ${detail}`) }
    )
    const result = await dispatch('system.status', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL', retryable: false } })
    expect(JSON.stringify(result)).not.toContain(secret)
    expect(JSON.stringify(result)).not.toContain('db.example')
    expect(logged).toHaveLength(1)
    expect(logged[0]).toContain('system.status: Error: connect failed for postgres://ops:***@db.example')
    expect(logged[0]).not.toContain(secret)
  })

  it('a thrown non-Error is still INTERNAL', async () => {
    const dispatch = createDispatcher(
      withHandler('system.ping', async () => {
        throw 'plain string'
      }),
      ctx,
      { logInternal: () => {} }
    )
    expect(await dispatch('system.ping', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
  })

  it('names inherited from Object.prototype are unknown, not callable', async () => {
    const dispatch = createDispatcher(handlers, ctx)
    for (const name of ['constructor', '__proto__', 'toString', 'valueOf']) {
      expect(await dispatch(name, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PROCEDURE' } })
    }
  })
})
