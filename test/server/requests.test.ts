import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { raw } from './http'
import { INDEX_HTML, startFixtureServer } from './fixture'
import { CSP_HEADER, RENDERER_CSP } from '../../src/main/server/csp'
import { createClient } from '../../src/shared/rpc/client'
import { createHttpApi } from '../../src/renderer/src/rpc/http-api'
import { RpcError } from '../../src/shared/rpc/errors'
import type { ServerEvent } from '../../src/shared/events'

let fx: Awaited<ReturnType<typeof startFixtureServer>>
beforeAll(async () => {
  fx = await startFixtureServer({ bodyLimitBytes: 4096 })
})
afterAll(() => fx.close())

const json = { 'content-type': 'application/json' }

describe('DNS rebinding and cross-origin requests', () => {
  it('a foreign Host header is refused even with the token', async () => {
    for (const host of ['evil.example', `evil.example:${fx.server.port}`, `127.0.0.1:${fx.server.port + 1}`, '127.0.0.1']) {
      const res = await raw(fx.server.port, { headers: { ...fx.bearer, host } })
      expect(res.status, host).toBe(403)
    }
  })

  it('localhost:PORT is accepted as our own host', async () => {
    expect((await raw(fx.server.port, { headers: { ...fx.bearer, host: `localhost:${fx.server.port}` } })).status).toBe(200)
  })

  it('a POST from another origin is refused; our own origin passes', async () => {
    const post = (origin: string) =>
      raw(fx.server.port, { method: 'POST', path: '/rpc/system.ping', headers: { ...fx.bearer, ...json, origin }, body: '{}' })
    for (const origin of ['http://evil.example', `http://127.0.0.1:${fx.server.port + 1}`, 'null', `https://127.0.0.1:${fx.server.port}`]) {
      expect((await post(origin)).status, origin).toBe(403)
    }
    expect((await post(`http://127.0.0.1:${fx.server.port}`)).status).toBe(200)
    expect((await post(`http://localhost:${fx.server.port}`)).status).toBe(200)
  })
})

describe('RPC over HTTP', () => {
  const rpc = (path: string, body: string | Buffer, headers: Record<string, string> = json) =>
    raw(fx.server.port, { method: 'POST', path, headers: { ...fx.bearer, ...headers }, body })

  it('malformed input → BAD_INPUT, unknown name → UNKNOWN_PROCEDURE', async () => {
    expect(JSON.parse((await rpc('/rpc/system.ping', '{"x":1}')).body)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    expect(JSON.parse((await rpc('/rpc/system.nope', '{}')).body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PROCEDURE' } })
    expect(JSON.parse((await rpc('/rpc/%E0%A4%A', '{}')).body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PROCEDURE' } })
  })

  it('invalid JSON → 400, non-JSON content type → 415, oversized body → 413', async () => {
    const bad = await rpc('/rpc/system.ping', '{not json')
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    expect((await rpc('/rpc/system.ping', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415)
    const big = await rpc('/rpc/system.ping', JSON.stringify({ padding: 'x'.repeat(10_000) }))
    expect(big.status).toBe(413)
  })

  it('an oversized body sent in chunks without a length is cut off too', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: fx.server.port, method: 'POST', path: '/rpc/system.ping', headers: { ...fx.bearer, ...json, 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        }
      )
      req.on('error', reject)
      for (let i = 0; i < 10; i++) req.write('x'.repeat(1000))
      req.end()
    })
    expect(status).toBe(413)
  })

  it('GET on an RPC path is not allowed', async () => {
    expect((await raw(fx.server.port, { path: '/rpc/system.ping', headers: fx.bearer })).status).toBe(405)
  })

  it('the typed client works end to end over HTTP', async () => {
    const api = createHttpApi({ baseUrl: fx.server.origin, token: fx.server.token })
    const client = createClient(api)
    expect(await client['system.status']({})).toMatchObject({ state: 'connecting', demo: true })
    await expect(client.call('system.ping', { bogus: 1 } as never)).rejects.toMatchObject({ code: 'BAD_INPUT' })
    const unauthorized = createClient(createHttpApi({ baseUrl: fx.server.origin }))
    await expect(unauthorized.call('system.ping', {})).rejects.toBeInstanceOf(RpcError)
    await expect(unauthorized.call('system.ping', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
  })
})

describe('static files', () => {
  it('serves the renderer with the strict CSP and hardening headers', async () => {
    const res = await raw(fx.server.port, { headers: fx.bearer })
    expect(res.body).toBe(INDEX_HTML)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.headers['content-security-policy']).toBe(CSP_HEADER)
    expect(CSP_HEADER.startsWith(RENDERER_CSP)).toBe(true)
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['x-frame-options']).toBe('DENY')
  })

  it('unknown routes fall back to the SPA; missing assets are 404', async () => {
    expect((await raw(fx.server.port, { path: '/tenants/abc', headers: fx.bearer })).body).toBe(INDEX_HTML)
    expect((await raw(fx.server.port, { path: '/assets/missing.js', headers: fx.bearer })).status).toBe(404)
  })

  it('never serves a file outside the renderer folder', async () => {
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt', '/%00', '/..%5coutside.txt']) {
      const res = await raw(fx.server.port, { path, headers: fx.bearer })
      expect(res.body, path).not.toContain('must never be served')
    }
  })
})

describe('the event stream', () => {
  it('a new stream first gets the progress of the jobs still running', async () => {
    const running: ServerEvent = { type: 'progress', jobId: 'startup', kind: 'startup', label: 'Loading demo data', done: 2, total: 5 }
    fx.hub.emit(running)
    const first = await new Promise<ServerEvent>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: fx.server.port, path: '/events', headers: fx.bearer }, (res) => {
        let buffer = ''
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString('utf8')
          const frame = buffer.split('\n\n').find((f) => f.startsWith('data: '))
          if (frame) {
            req.destroy()
            resolve(JSON.parse(frame.slice(6)) as ServerEvent)
          }
        })
      })
      req.on('error', reject)
      req.end()
    })
    expect(first).toEqual(running)
    fx.hub.emit({ ...running, done: 5, finished: true })
  })

  it('delivers server events as Server-Sent Events', async () => {
    const received: ServerEvent[] = []
    const event: ServerEvent = { type: 'progress', jobId: 'j1', kind: 'seed', label: 'Seeding', done: 3, total: 10 }
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: fx.server.port, path: '/events', headers: fx.bearer }, (res) => {
        expect(res.statusCode).toBe(200)
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/)
        let buffer = ''
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString('utf8')
          if (buffer.startsWith('retry:') && received.length === 0 && !buffer.includes('data:')) fx.hub.emit(event)
          for (const frame of buffer.split('\n\n').filter((f) => f.startsWith('data: '))) received.push(JSON.parse(frame.slice(6)))
          if (received.length > 0) {
            req.destroy()
            resolve()
          }
        })
      })
      req.on('error', reject)
      req.end()
    })
    expect(received).toEqual([event])
  })

  it('the browser client reads the stream with its bearer token (EventSource cannot send one)', async () => {
    const running: ServerEvent = { type: 'progress', jobId: 'j2', kind: 'sync', label: 'Syncing', done: 1, total: 2 }
    const later: ServerEvent = { type: 'status', state: 'online' }
    fx.hub.emit(running) // replayed to a new stream: its arrival shows the stream is open
    const received: ServerEvent[] = []
    const unsubscribe = createHttpApi({ baseUrl: fx.server.origin, token: fx.server.token }).onEvent((event) => received.push(event))
    try {
      await expect.poll(() => received.some((e) => e.type === 'progress' && e.jobId === 'j2'), { timeout: 5000 }).toBe(true)
      fx.hub.emit(later)
      await expect.poll(() => received.at(-1), { timeout: 5000 }).toEqual(later)
    } finally {
      unsubscribe()
      fx.hub.emit({ ...running, done: 2, finished: true })
    }
  })

  it('without the token the browser client gets no event and stops asking', async () => {
    let requests = 0
    const counting: typeof fetch = (input, init) => {
      requests += 1
      return fetch(input, init)
    }
    const received: ServerEvent[] = []
    const unsubscribe = createHttpApi({ baseUrl: fx.server.origin, fetch: counting, reconnectMs: 20 }).onEvent((event) => received.push(event))
    fx.hub.emit({ type: 'status', state: 'offline' })
    await new Promise((resolve) => setTimeout(resolve, 300))
    unsubscribe()
    expect(received).toEqual([])
    expect(requests).toBe(1)
  })
})
