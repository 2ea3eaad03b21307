import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { raw } from './http'
import { startFixtureServer } from './fixture'
import { generateToken, tokensEqual } from '../../src/main/server/token'

let fx: Awaited<ReturnType<typeof startFixtureServer>>
beforeAll(async () => {
  fx = await startFixtureServer()
})
afterAll(() => fx.close())

const json = { 'content-type': 'application/json' }
const routes = [
  { name: 'the page', method: 'GET', path: '/' },
  { name: 'an asset', method: 'GET', path: '/assets/app.js' },
  { name: 'an RPC call', method: 'POST', path: '/rpc/system.ping', body: '{}' },
  { name: 'the event stream', method: 'GET', path: '/events' }
]

describe('browser mode refuses every request without the per-launch token', () => {
  for (const route of routes) {
    it(`${route.name}: no token → 401`, async () => {
      const res = await raw(fx.server.port, { method: route.method, path: route.path, headers: json, body: route.body })
      expect(res.status).toBe(401)
      expect(res.headers['www-authenticate']).toBe('Bearer')
      expect(res.body).not.toContain('root')
    })

    it(`${route.name}: wrong token (header, cookie or query) → 401`, async () => {
      const wrong = generateToken()
      const attempts = [
        { headers: { ...json, authorization: `Bearer ${wrong}` }, path: route.path },
        { headers: { ...json, authorization: `Bearer ${fx.server.token.slice(0, -1)}` }, path: route.path },
        { headers: { ...json, cookie: `avia_token_${fx.server.port}=${wrong}` }, path: route.path },
        // A valid token under another port's cookie name belongs to another launch.
        { headers: { ...json, cookie: `avia_token_1=${fx.server.token}` }, path: route.path },
        { headers: json, path: `${route.path}?token=${wrong}` }
      ]
      for (const attempt of attempts) {
        const res = await raw(fx.server.port, { method: route.method, body: route.body, ...attempt })
        expect(res.status, JSON.stringify(attempt)).toBe(401)
      }
    })
  }

  it('an unauthorized RPC call gets a typed UNAUTHORIZED error and never runs', async () => {
    const res = await raw(fx.server.port, { method: 'POST', path: '/rpc/system.status', headers: json, body: '{}' })
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
  })
})

describe('the right token opens everything', () => {
  it('bearer header: page, asset and RPC', async () => {
    const page = await raw(fx.server.port, { headers: fx.bearer })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<div id="root">')
    expect((await raw(fx.server.port, { path: '/assets/app.js', headers: fx.bearer })).status).toBe(200)
    const ping = await raw(fx.server.port, { method: 'POST', path: '/rpc/system.ping', headers: { ...fx.bearer, ...json }, body: '{}' })
    expect(JSON.parse(ping.body)).toMatchObject({ ok: true, value: { ok: true } })
  })

  it('the launch link sets an HttpOnly SameSite=Strict cookie and drops the token from the address', async () => {
    const res = await raw(fx.server.port, { path: `/?token=${fx.server.token}` })
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('/')
    const cookie = String(res.headers['set-cookie'])
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const pair = cookie.split(';')[0]!
    expect(pair).toBe(`avia_token_${fx.server.port}=${fx.server.token}`)

    const page = await raw(fx.server.port, { headers: { cookie: `theme=dark; ${pair}` } })
    expect(page.status).toBe(200)
    const rpc = await raw(fx.server.port, { method: 'POST', path: '/rpc/system.status', headers: { cookie: pair, ...json }, body: '{}' })
    expect(JSON.parse(rpc.body)).toMatchObject({ ok: true, value: { state: 'connecting' } })
  })

  it('the query token opens pages only, not the API', async () => {
    const rpc = await raw(fx.server.port, { method: 'POST', path: `/rpc/system.ping?token=${fx.server.token}`, headers: json, body: '{}' })
    expect(rpc.status).toBe(401)
  })

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
