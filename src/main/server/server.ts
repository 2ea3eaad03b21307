import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { RpcError, type RpcResult } from '../../shared/rpc/errors'
import type { ExportJobs } from '../exports/jobs'
import type { Dispatch } from '../rpc/dispatch'
import type { EventHub } from '../rpc/events'
import { CSP_HEADER } from './csp'
import { serveExport } from './export-download'
import { serveStatic } from './static-files'
import { generateToken, tokensEqual } from './token'

const LOOPBACK = '127.0.0.1'
const DEFAULT_BODY_LIMIT = 1024 * 1024
const HEARTBEAT_MS = 20_000

export interface ServerOptions {
  dispatch: Dispatch
  events: Pick<EventHub, 'subscribe' | 'inFlight'>
  /** The built renderer (out/renderer). */
  staticDir: string
  /** 0 or absent: a random free port. */
  port?: number
  bodyLimitBytes?: number
  /** Finished exports, downloaded from GET /exports/<id> (the one export path's browser delivery). */
  exports?: Pick<ExportJobs, 'ready' | 'remove'>
}

export interface RunningServer {
  port: number
  /** http://127.0.0.1:PORT */
  origin: string
  token: string
  /** The link to print: the token rides in the fragment, which browsers never send to a server. */
  launchUrl: string
  /** The bound address, as the socket reports it. */
  address(): AddressInfo
  close(): Promise<void>
}

const SECURITY_HEADERS = {
  'content-security-policy': CSP_HEADER,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin'
}

/**
 * Browser mode: the procedure table and the event channel over HTTP, for this machine's user only.
 * Bound to 127.0.0.1; every API request (RPC, events) must carry the per-launch token as an
 * `Authorization: Bearer` header, never a cookie: cookies ignore ports, so one would reach every
 * other program listening on 127.0.0.1. The built renderer holds no data and is served without it.
 * The Host header must name this server (DNS rebinding) and a request from another origin is
 * refused. Nothing here redirects, so no request path can send the browser to another origin.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = generateToken()
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT
  const sockets = new Set<Socket>()
  const streams = new Set<ServerResponse>()
  let port = 0

  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value)
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, failure('INTERNAL', 'Internal error'))
      else res.destroy()
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  const allowedHosts = () => [`${LOOPBACK}:${port}`, `localhost:${port}`]

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`)
    const method = req.method ?? 'GET'

    if (!allowedHosts().includes((req.headers.host ?? '').toLowerCase())) {
      sendText(res, 403, 'Forbidden: unexpected Host header')
      return
    }
    const origin = req.headers.origin
    if (origin !== undefined && !allowedHosts().some((host) => origin === `http://${host}`)) {
      sendText(res, 403, 'Forbidden: cross-origin request')
      return
    }

    const isApi = url.pathname.startsWith('/rpc/') || url.pathname === '/events' || url.pathname.startsWith('/exports/')
    if (!isApi) {
      if (method === 'GET' || method === 'HEAD') await serveStatic(options.staticDir, url.pathname, method, res)
      else sendText(res, 405, 'Method not allowed', { allow: 'GET, HEAD' })
      return
    }
    // Whatever an API route answers, success or refusal, is about this session: never keep it.
    res.setHeader('cache-control', 'no-store')
    if (!tokensEqual(bearerToken(req), token)) {
      res.setHeader('www-authenticate', 'Bearer')
      sendJson(res, 401, failure('UNAUTHORIZED', 'Missing or wrong console token'))
      return
    }

    if (url.pathname.startsWith('/rpc/')) {
      if (method !== 'POST') return sendText(res, 405, 'Method not allowed', { allow: 'POST' })
      await handleRpc(req, res, url.pathname.slice('/rpc/'.length))
    } else if (url.pathname.startsWith('/exports/')) {
      if (method !== 'GET') return sendText(res, 405, 'Method not allowed', { allow: 'GET' })
      if (!options.exports) return sendJson(res, 404, failure('NOT_FOUND', 'This console serves no exports'))
      await serveExport(options.exports, url.pathname.slice('/exports/'.length), res)
    } else {
      if (method !== 'GET') return sendText(res, 405, 'Method not allowed', { allow: 'GET' })
      openEventStream(req, res)
    }
  }

  async function handleRpc(req: IncomingMessage, res: ServerResponse, rawName: string): Promise<void> {
    // Requiring JSON also means a cross-site form post could never be a valid call.
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      sendJson(res, 415, failure('BAD_INPUT', 'Content-Type must be application/json'))
      return
    }
    const body = await readBody(req, bodyLimit)
    if (body === 'too-large') {
      sendJson(res, 413, failure('BAD_INPUT', `Request body larger than ${bodyLimit} bytes`), { connection: 'close' })
      req.resume()
      return
    }
    let input: unknown
    try {
      input = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'))
    } catch {
      sendJson(res, 400, failure('BAD_INPUT', 'Request body is not valid JSON'))
      return
    }
    let name: string
    try {
      name = decodeURIComponent(rawName)
    } catch {
      name = rawName
    }
    sendJson(res, 200, await options.dispatch(name, input))
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' })
    res.write('retry: 3000\n\n')
    streams.add(res)
    const send = (event: unknown) => res.write(`data: ${JSON.stringify(event)}\n\n`)
    options.events.inFlight().forEach(send)
    const unsubscribe = options.events.subscribe(send)
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS).unref()
    req.on('close', () => {
      clearInterval(heartbeat)
      unsubscribe()
      streams.delete(res)
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  const origin = `http://${LOOPBACK}:${port}`

  return {
    port,
    origin,
    token,
    launchUrl: `${origin}/#token=${token}`,
    address: () => server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end()
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
  }
}

function bearerToken(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization
  return authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : undefined
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) return Promise.resolve('too-large')
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.off('data', onData)
        resolve('too-large')
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function failure(code: 'BAD_INPUT' | 'UNAUTHORIZED' | 'NOT_FOUND' | 'INTERNAL', message: string): RpcResult<never> {
  return { ok: false, error: new RpcError(code, message).toJSON() }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}
