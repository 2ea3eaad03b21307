import { request, type IncomingHttpHeaders } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { raw, type RawResponse } from './http'
import { INDEX_HTML, startFixtureServer } from './fixture'
import { generateToken, tokensEqual } from '../../src/main/server/token'

let fx: Awaited<ReturnType<typeof startFixtureServer>>
beforeAll(async () => {
  fx = await startFixtureServer()
})
afterAll(() => fx.close())

const json = { 'content-type': 'application/json' }
const apiRoutes = [
  { name: 'an RPC call', method: 'POST', path: '/rpc/system.ping', body: '{}' },
  { name: 'the event stream', method: 'GET', path: '/events' }
]

describe('browser mode refuses every API request without the per-launch token as a bearer header', () => {
  for (const route of apiRoutes) {
    it(`${route.name}: no token → 401, typed, not stored`, async () => {
      const res = await raw(fx.server.port, { method: route.method, path: route.path, headers: json, body: route.body })
      expect(res.status).toBe(401)
      expect(res.headers['www-authenticate']).toBe('Bearer')
      expect(res.headers['cache-control']).toBe('no-store')
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    })

    it(`${route.name}: a wrong token, or the right one anywhere but the header (cookie, query) → 401`, async () => {
      const wrong = generateToken()
      const attempts = [
        { headers: { ...json, authorization: `Bearer ${wrong}` }, path: route.path },
        { headers: { ...json, authorization: `Bearer ${fx.server.token.slice(0, -1)}` }, path: route.path },
        { headers: { ...json, authorization: fx.server.token }, path: route.path },
        // The cookie the launch link used to set: a cookie reaches every port, so it proves nothing.
        { headers: { ...json, cookie: `avia_token_${fx.server.port}=${fx.server.token}` }, path: route.path },
        { headers: json, path: `${route.path}?token=${fx.server.token}` }
      ]
      for (const attempt of attempts) {
        const res = await raw(fx.server.port, { method: route.method, body: route.body, ...attempt })
        expect(res.status, JSON.stringify(attempt)).toBe(401)
      }
    })
  }
})

describe('static files hold no data and are served without the token', () => {
  it('the page and its assets answer 200 with no token, and never contain it', async () => {
    const page = await raw(fx.server.port)
    expect(page.status).toBe(200)
    expect(page.body).toBe(INDEX_HTML)
    const asset = await raw(fx.server.port, { path: '/assets/app.js' })
    expect(asset.status).toBe(200)
    for (const res of [page, asset]) expect(JSON.stringify(res)).not.toContain(fx.server.token)
  })
})

describe('the token never travels in a cookie', () => {
  it('no response sets a cookie, whatever the request carries', async () => {
    const responses: RawResponse[] = [
      await raw(fx.server.port),
      await raw(fx.server.port, { path: `/?token=${fx.server.token}` }),
      await raw(fx.server.port, { path: `/index.html?token=${fx.server.token}`, headers: fx.bearer }),
      await raw(fx.server.port, { method: 'POST', path: '/rpc/system.ping', headers: { ...fx.bearer, ...json }, body: '{}' }),
      await raw(fx.server.port, { method: 'POST', path: '/rpc/system.ping', headers: json, body: '{}' })
    ]
    for (const res of responses) expect(res.headers['set-cookie']).toBeUndefined()
  })

  it('the launch URL carries the token in the fragment, which a browser never sends', () => {
    const launch = new URL(fx.server.launchUrl)
    expect(launch.origin).toBe(fx.server.origin)
    expect(launch.pathname).toBe('/')
    expect(launch.search).toBe('')
    expect(launch.hash).toBe(`#token=${fx.server.token}`)
  })
})

describe('every authenticated response is no-store', () => {
  it('RPC answers, errors and refusals, and the event stream', async () => {
    const post = (path: string, body: string, headers: Record<string, string> = json) =>
      raw(fx.server.port, { method: 'POST', path, headers: { ...fx.bearer, ...headers }, body })
    const responses = [
      await post('/rpc/system.ping', '{}'),
      await post('/rpc/system.ping', '{"x":1}'),
      await post('/rpc/system.nope', '{}'),
      await post('/rpc/system.ping', '{bad'),
      await post('/rpc/system.ping', 'a=1', { 'content-type': 'text/plain' }),
      await raw(fx.server.port, { path: '/rpc/system.ping', headers: fx.bearer }),
      await raw(fx.server.port, { method: 'POST', path: '/events', headers: fx.bearer })
    ]
    for (const res of responses) expect(res.headers['cache-control'], res.body).toBe('no-store')
    const stream = await firstHeaders('/events')
    expect(stream['cache-control']).toBe('no-store')
  })
})

describe('no request path sends the browser to another origin', () => {
  it('paths that a naive redirect would turn into //host stay here', async () => {
    const paths = ['/.//evil.example/', '//evil.example/', '/.//evil.example/?token=x', `/.//evil.example/?token=${fx.server.token}`, '/%2F%2Fevil.example/', '/\\evil.example/', '/./\\evil.example']
    for (const path of paths) {
      for (const headers of [{}, fx.bearer]) {
        const res = await raw(fx.server.port, { path, headers })
        expect(Math.floor(res.status / 100), path).not.toBe(3)
        expect(res.headers.location, path).toBeUndefined()
      }
    }
  })
})

describe('the token itself', () => {
  it('each launch draws a new 256-bit token', () => {
    const tokens = new Set(Array.from({ length: 50 }, generateToken))
    expect(tokens.size).toBe(50)
    for (const token of tokens) expect(Buffer.from(token, 'base64url')).toHaveLength(32)
  })

  it('tokensEqual compares exactly', () => {
    const token = generateToken()
    expect(tokensEqual(token, token)).toBe(true)
    expect(tokensEqual(`${token}x`, token)).toBe(false)
    expect(tokensEqual('', token)).toBe(false)
    expect(tokensEqual(undefined, token)).toBe(false)
  })
})

function firstHeaders(path: string): Promise<IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: fx.server.port, path, headers: fx.bearer }, (res) => {
      resolve(res.headers)
      req.destroy()
    })
    req.on('error', reject)
    req.end()
  })
}
