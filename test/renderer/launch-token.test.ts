import { describe, expect, it } from 'vitest'
import { TOKEN_STORAGE_KEY, takeLaunchToken } from '../../src/renderer/src/rpc/launch-token'

function page(href: string) {
  const url = new URL(href)
  const stored = new Map<string, string>()
  const replaced: string[] = []
  return {
    replaced,
    stored,
    env: {
      location: { hash: url.hash, pathname: url.pathname, search: url.search },
      history: { replaceState: (_data: unknown, _unused: string, next?: string | URL | null) => void replaced.push(String(next)) },
      storage: { getItem: (key: string) => stored.get(key) ?? null, setItem: (key: string, value: string) => void stored.set(key, value) }
    }
  }
}

describe('the launch token in the renderer', () => {
  it('is taken from the fragment, kept for this tab, and the address is replaced without it', () => {
    const p = page('http://127.0.0.1:4000/#token=abc-DEF_123')
    expect(takeLaunchToken(p.env)).toBe('abc-DEF_123')
    expect(p.replaced).toEqual(['/#/'])
    expect(p.stored.get(TOKEN_STORAGE_KEY)).toBe('abc-DEF_123')
  })

  it('a reload of the tab (no fragment) finds it again; the address is left alone', () => {
    const p = page('http://127.0.0.1:4000/#/tenants')
    p.stored.set(TOKEN_STORAGE_KEY, 'abc')
    expect(takeLaunchToken(p.env)).toBe('abc')
    expect(p.replaced).toEqual([])
  })

  it('a route is never taken for a token, and no token means none is sent', () => {
    for (const href of ['http://127.0.0.1:4000/', 'http://127.0.0.1:4000/#/token=abc', 'http://127.0.0.1:4000/?token=abc', 'http://127.0.0.1:4000/#token=a%22b']) {
      const p = page(href)
      expect(takeLaunchToken(p.env), href).toBeUndefined()
      expect(p.replaced, href).toEqual([])
    }
  })
})
