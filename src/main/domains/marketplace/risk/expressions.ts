/**
 * Resolves the string-building part of n8n expressions and code, so that a host or key spelt
 * in pieces ('ev' + 'il.example', atob('…'), String.fromCharCode(…), [..].join('')) is seen
 * whole. Not a JavaScript interpreter: anything else is "unresolved", never executed.
 */

type Token = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'word'; value: string } | { kind: 'punct'; value: string }

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' }

function readString(src: string, start: number): { value: string; end: number } | null {
  const quote = src[start]!
  let value = ''
  let i = start + 1
  while (i < src.length) {
    const ch = src[i]!
    if (ch === quote) return { value, end: i + 1 }
    if (quote === '`' && ch === '$' && src[i + 1] === '{') return null
    if (ch === '\\') {
      const next = src[i + 1] ?? ''
      const hex = next === 'x' ? src.slice(i + 2, i + 4) : next === 'u' ? src.slice(i + 2, i + 6) : ''
      if (hex && /^[0-9a-fA-F]+$/.test(hex) && hex.length === (next === 'x' ? 2 : 4)) {
        value += String.fromCharCode(parseInt(hex, 16))
        i += 2 + hex.length
      } else {
        value += ESCAPES[next] ?? next
        i += 2
      }
      continue
    }
    if (ch === '\n' && quote !== '`') return null
    value += ch
    i++
  }
  return null
}

/** Tokens of a JavaScript-like text; unknown characters become punctuation, so any text tokenizes. */
export function tokenize(src: string, limit = 100_000): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < src.length && tokens.length < limit) {
    const ch = src[i]!
    if (/\s/.test(ch)) {
      i++
    } else if (ch === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i)
      i = end < 0 ? src.length : end
    } else if (ch === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2)
      i = end < 0 ? src.length : end + 2
    } else if (ch === "'" || ch === '"' || ch === '`') {
      const read = readString(src, i)
      if (read) {
        tokens.push({ kind: 'string', value: read.value })
        i = read.end
      } else {
        tokens.push({ kind: 'punct', value: ch })
        i++
      }
    } else if (/[0-9]/.test(ch)) {
      const match = /^(0x[0-9a-fA-F]+|[0-9]+(\.[0-9]+)?)/.exec(src.slice(i, i + 40))!
      tokens.push({ kind: 'number', value: Number(match[0]) })
      i += match[0].length
    } else if (/[A-Za-z_$]/.test(ch)) {
      const match = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i, i + 200))!
      tokens.push({ kind: 'word', value: match[0] })
      i += match[0].length
    } else {
      tokens.push({ kind: 'punct', value: ch })
      i++
    }
  }
  return tokens
}

type Value = string | number | Value[]

function decodeBase64(value: string): string | null {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(value) || typeof atob !== 'function') return null
  try {
    return atob(value.replaceAll('-', '+').replaceAll('_', '/'))
  } catch {
    return null
  }
}

/** A recursive-descent reader of string-building expressions over tokens[pos…]. */
class Reader {
  pos = 0
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset]
  }

  private take(kind: Token['kind'], value?: string): boolean {
    const t = this.peek()
    if (t && t.kind === kind && (value === undefined || t.value === value)) {
      this.pos++
      return true
    }
    return false
  }

  expression(depth = 0): Value | null {
    if (depth > 40) return null
    let left = this.term(depth)
    while (left !== null && this.take('punct', '+')) {
      const right = this.term(depth)
      if (right === null) return null
      left = typeof left === 'number' && typeof right === 'number' ? left + right : String(left) + String(right)
    }
    return left
  }

  private args(depth: number): Value[] | null {
    if (!this.take('punct', '(')) return null
    const values: Value[] = []
    if (this.take('punct', ')')) return values
    do {
      const v = this.expression(depth + 1)
      if (v === null) return null
      values.push(v)
    } while (this.take('punct', ','))
    return this.take('punct', ')') ? values : null
  }

  private primary(depth: number): Value | null {
    const t = this.peek()
    if (!t) return null
    if (t.kind === 'string' || t.kind === 'number') {
      this.pos++
      return t.value
    }
    if (this.take('punct', '(')) {
      const v = this.expression(depth + 1)
      return v !== null && this.take('punct', ')') ? v : null
    }
    if (this.take('punct', '[')) {
      const items: Value[] = []
      if (this.take('punct', ']')) return items
      do {
        const v = this.expression(depth + 1)
        if (v === null) return null
        items.push(v)
      } while (this.take('punct', ','))
      return this.take('punct', ']') ? items : null
    }
    if (t.kind === 'word') {
      this.pos++
      if (t.value === 'String' && this.take('punct', '.') && this.take('word', 'fromCharCode')) {
        const codes = this.args(depth)
        return codes && codes.every((c) => typeof c === 'number') ? String.fromCharCode(...(codes as number[])) : null
      }
      if (t.value === 'atob' || t.value === 'decodeURIComponent' || t.value === 'unescape') {
        const [arg] = this.args(depth) ?? []
        if (typeof arg !== 'string') return null
        if (t.value === 'atob') return decodeBase64(arg)
        try {
          return decodeURIComponent(arg)
        } catch {
          return null
        }
      }
    }
    return null
  }

  private term(depth: number): Value | null {
    let value = this.primary(depth)
    while (value !== null && this.peek()?.kind === 'punct' && this.peek()?.value === '.' && this.peek(1)?.kind === 'word') {
      this.pos++
      const method = (this.tokens[this.pos++] as { value: string }).value
      const args = this.args(depth)
      if (!args) return null
      value = applyMethod(value, method, args)
    }
    return value
  }
}

function applyMethod(value: Value, method: string, args: Value[]): Value | null {
  const [a, b] = args
  if (Array.isArray(value)) {
    if (method === 'join') return value.map(String).join(typeof a === 'string' ? a : ',')
    if (method === 'reverse') return [...value].reverse()
    return null
  }
  const s = String(value)
  if (method === 'split' && typeof a === 'string') return s.split(a)
  if (method === 'toLowerCase') return s.toLowerCase()
  if (method === 'toUpperCase') return s.toUpperCase()
  if (method === 'trim') return s.trim()
  if (method === 'concat') return s + args.map(String).join('')
  if ((method === 'replace' || method === 'replaceAll') && typeof a === 'string' && typeof b === 'string') {
    return method === 'replace' ? s.replace(a, () => b) : s.replaceAll(a, () => b)
  }
  return null
}

/** The value of one whole expression, or null when any part of it is not plain string building. */
export function evaluateStringExpression(src: string): string | null {
  const tokens = tokenize(src, 5_000)
  const reader = new Reader(tokens)
  const value = reader.expression()
  if (value === null || reader.pos !== tokens.length) return null
  return Array.isArray(value) ? value.map(String).join(',') : String(value)
}

export interface Resolved {
  text: string
  /** False when some {{ }} part depends on run-time data (it is left out of `text`). */
  complete: boolean
  /** True when the value was built by an expression rather than written out. */
  built: boolean
}

/** An n8n parameter value: literal, or '=' followed by text with {{ expression }} parts. */
export function resolveParameter(value: string): Resolved {
  if (!value.startsWith('=')) return { text: value, complete: true, built: false }
  let text = ''
  let complete = true
  let built = false
  const body = value.slice(1)
  let i = 0
  while (i < body.length) {
    const open = body.indexOf('{{', i)
    if (open < 0) {
      text += body.slice(i)
      break
    }
    const close = body.indexOf('}}', open + 2)
    if (close < 0) {
      text += body.slice(i)
      break
    }
    text += body.slice(i, open)
    const part = evaluateStringExpression(body.slice(open + 2, close))
    if (part === null) complete = false
    else {
      text += part
      built = true
    }
    i = close + 2
  }
  return { text, complete, built }
}

/**
 * The strings a piece of code spells, including those joined from literals ('a' + 'b'), from
 * arrays ([..].join('')) or decoded (atob, fromCharCode): every maximal expression that starts
 * at a literal or a known decoder and evaluates to a string.
 */
export function codeStrings(code: string): { value: string; built: boolean }[] {
  const tokens = tokenize(code)
  const found: { value: string; built: boolean }[] = []
  let i = 0
  while (i < tokens.length) {
    const t = tokens[i]!
    const starts = t.kind === 'string' || (t.kind === 'punct' && t.value === '[') ||
      (t.kind === 'word' && (t.value === 'atob' || t.value === 'String' || t.value === 'decodeURIComponent' || t.value === 'unescape'))
    if (!starts) {
      i++
      continue
    }
    const reader = new Reader(tokens.slice(i, i + 400))
    const value = reader.expression()
    if (value !== null && reader.pos > 0 && !Array.isArray(value)) {
      found.push({ value: String(value), built: reader.pos > 1 })
      i += reader.pos
    } else {
      if (t.kind === 'string') found.push({ value: t.value, built: false })
      i++
    }
  }
  return found
}
