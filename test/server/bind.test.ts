import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFixtureServer } from './fixture'

let fx: Awaited<ReturnType<typeof startFixtureServer>>
beforeAll(async () => {
  fx = await startFixtureServer()
})
afterAll(() => fx.close())

function tryConnect(host: string, port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 })
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('timeout', () => {
      socket.destroy()
      resolve('timeout')
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
  })
}

const externalIPv4 = Object.values(networkInterfaces())
  .flat()
  .find((nic) => nic !== undefined && nic.family === 'IPv4' && !nic.internal)?.address

describe('browser mode listens on 127.0.0.1 only', () => {
  it('the socket is bound to 127.0.0.1 on a random port', () => {
    const address = fx.server.address()
    expect(address.address).toBe('127.0.0.1')
    expect(address.family).toBe('IPv4')
    expect(address.port).toBe(fx.server.port)
    expect(fx.server.port).toBeGreaterThan(0)
  })

  it('answers on 127.0.0.1', async () => {
    expect(await tryConnect('127.0.0.1', fx.server.port)).toBe('connected')
  })

  it.skipIf(externalIPv4 === undefined)(
    `refuses connections on this machine's network address${externalIPv4 ? ` (${externalIPv4})` : ': skipped, no non-loopback IPv4 interface'}`,
    async () => {
      expect(await tryConnect(externalIPv4!, fx.server.port)).not.toBe('connected')
    }
  )

  it('refuses connections on other loopback addresses (127.0.0.2)', async () => {
    expect(await tryConnect('127.0.0.2', fx.server.port)).not.toBe('connected')
  })
})
