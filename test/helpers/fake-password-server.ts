import { createHash, randomBytes } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

/** How the fake server asks for the password: AuthenticationCleartextPassword (3) or MD5 (5). */
export type PasswordRequest = 'cleartext' | 'md5'

export interface FakePasswordServer {
  port: number
  /** Every byte clients sent after the startup message, per connection. */
  received(): Buffer[]
  /** The MD5 answer a client holding `password` would send to this server's salt. */
  md5Answer(user: string, password: string): string
  close(): Promise<void>
}

const SSL_REQUEST = 80877103
const PROTOCOL_3 = 196608

/**
 * A "PostgreSQL server" that cannot exist on the test machine: it answers the startup message
 * with a password request and records what comes back, then refuses the login (28P01). It
 * stands for whatever a profile's host could be changed to.
 */
export async function startFakePasswordServer(request: PasswordRequest): Promise<FakePasswordServer> {
  const salt = randomBytes(4)
  const received: Buffer[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    let buffered = Buffer.alloc(0)
    let started = false
    const index = received.push(Buffer.alloc(0)) - 1
    socket.on('data', (chunk: Buffer) => {
      if (started) {
        received[index] = Buffer.concat([received[index]!, chunk])
        if (chunk[0] === 0x70 /* 'p': password message */) refuse(socket)
        return
      }
      buffered = Buffer.concat([buffered, chunk])
      if (buffered.length < 8 || buffered.length < buffered.readInt32BE(0)) return
      const code = buffered.readInt32BE(4)
      const rest = buffered.subarray(buffered.readInt32BE(0))
      buffered = rest
      if (code === SSL_REQUEST) return void socket.write('N')
      if (code !== PROTOCOL_3) return void socket.destroy()
      started = true
      if (rest.length > 0) received[index] = Buffer.from(rest)
      socket.write(request === 'cleartext' ? authRequest(3) : authRequest(5, salt))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    received: () => [...received],
    md5Answer(user, password) {
      const inner = createHash('md5').update(password + user).digest('hex')
      return 'md5' + createHash('md5').update(Buffer.concat([Buffer.from(inner), salt])).digest('hex')
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

function authRequest(kind: number, salt?: Buffer): Buffer {
  const body = Buffer.alloc(4 + (salt?.length ?? 0))
  body.writeInt32BE(kind, 0)
  salt?.copy(body, 4)
  const header = Buffer.alloc(5)
  header.write('R', 0)
  header.writeInt32BE(4 + body.length, 1)
  return Buffer.concat([header, body])
}

/** ErrorResponse: severity FATAL, SQLSTATE 28P01 (invalid_password), then the connection ends. */
function refuse(socket: Socket): void {
  const fields = Buffer.concat([field('S', 'FATAL'), field('V', 'FATAL'), field('C', '28P01'), field('M', 'password authentication failed'), Buffer.from([0])])
  const header = Buffer.alloc(5)
  header.write('E', 0)
  header.writeInt32BE(4 + fields.length, 1)
  socket.end(Buffer.concat([header, fields]))
}

function field(code: string, value: string): Buffer {
  return Buffer.concat([Buffer.from(code), Buffer.from(value, 'utf8'), Buffer.from([0])])
}
