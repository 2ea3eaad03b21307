import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import path from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8'
}

/**
 * Serves the built renderer. Paths are resolved inside `root` only (no `..`, no NUL); a path with
 * no file extension that is not a file falls back to index.html so the SPA can own its routes.
 */
export async function serveStatic(root: string, urlPath: string, method: string, res: ServerResponse): Promise<void> {
  const file = await resolveFile(path.resolve(root), urlPath)
  if (file === null) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found')
    return
  }
  const type = CONTENT_TYPES[path.extname(file.path).toLowerCase()] ?? 'application/octet-stream'
  res.writeHead(200, {
    'content-type': type,
    'content-length': file.size,
    // HTML must be re-read after a rebuild; hashed assets could be cached, but a local
    // server gains nothing from it.
    'cache-control': 'no-cache'
  })
  if (method === 'HEAD') {
    res.end()
    return
  }
  createReadStream(file.path)
    .on('error', () => res.destroy())
    .pipe(res)
}

async function resolveFile(root: string, urlPath: string): Promise<{ path: string; size: number } | null> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const candidate = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`)
  if (candidate !== root && !candidate.startsWith(root + path.sep)) return null

  const direct = await fileAt(candidate === root ? path.join(root, 'index.html') : candidate)
  if (direct) return direct
  const isDirectory = await stat(candidate).then((s) => s.isDirectory(), () => false)
  if (isDirectory) return fileAt(path.join(candidate, 'index.html'))
  return path.extname(candidate) === '' ? fileAt(path.join(root, 'index.html')) : null
}

async function fileAt(filePath: string): Promise<{ path: string; size: number } | null> {
  try {
    const s = await stat(filePath)
    return s.isFile() ? { path: filePath, size: s.size } : null
  } catch {
    return null
  }
}
