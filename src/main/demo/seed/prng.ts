/**
 * Deterministic randomness for demo and benchmark data.
 *
 * xoshiro128** (128-bit state) rather than mulberry32: the data set draws several million UUIDs,
 * and a 32-bit state would make UUIDs collide by the thousand (birthday bound at 2^16 draws).
 * Sub-streams are forked by label so that adding rows to one table never shifts the values of
 * another: the same seed keeps producing the same rows as the generators evolve.
 */

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}

/** murmur3's finalizer: every input bit affects every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Seed and labels as 32-bit words, each part tagged with its kind and length so ('a', 1) ≠ ('a1'). */
function seedWords(seed: number, parts: readonly (string | number)[]): number[] {
  const words = [seed >>> 0, Math.floor(seed / 2 ** 32) >>> 0]
  for (const part of parts) {
    if (typeof part === 'number' && Number.isSafeInteger(part)) {
      words.push(0x6e756d, part >>> 0, Math.floor(part / 2 ** 32) >>> 0)
    } else {
      const text = String(part)
      words.push(0x737472, text.length)
      for (let i = 0; i < text.length; i++) words.push(text.charCodeAt(i))
    }
  }
  return words
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

function hex32(w: number): string {
  return HEX[(w >>> 24) & 0xff]! + HEX[(w >>> 16) & 0xff]! + HEX[(w >>> 8) & 0xff]! + HEX[w & 0xff]!
}

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  /**
   * `parts` are mixed into the seed: new Rng(42, 'tenants') and new Rng(42, 'users') are
   * independent. Each of the four state words hashes the whole input in its own lane, so the
   * state has 128 bits of entropy: millions of per-row streams (new Rng(seed, 'execution', i))
   * never start from the same state, which a 32-bit mix of the labels would after ~2^16 rows.
   */
  constructor(seed: number, ...parts: (string | number)[]) {
    const words = seedWords(seed, parts)
    const lanes = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344].map((lane) => {
      let h = lane
      for (const w of words) h = fmix32((h ^ w) + 0x9e3779b9)
      return h
    })
    this.a = lanes[0]!
    this.b = lanes[1]!
    this.c = lanes[2]!
    this.d = lanes[3]! || 1
  }

  /** Next raw 32-bit unsigned word (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0
    const t = (this.b << 9) >>> 0
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    this.a >>>= 0
    this.b >>>= 0
    this.c >>>= 0
    return result
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 2 ** 32
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): max is below min`)
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** Uniform float in [min, max), rounded to `decimals`. */
  float(min: number, max: number, decimals = 2): number {
    const f = 10 ** decimals
    return Math.round((min + this.next() * (max - min)) * f) / f
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty list')
    return items[Math.floor(this.next() * items.length)]!
  }

  /** Picks by weight: entries are [value, weight] with positive weights. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0
    for (const [, w] of entries) total += w
    let r = this.next() * total
    for (const [value, w] of entries) {
      r -= w
      if (r < 0) return value
    }
    return entries[entries.length - 1]![0]
  }

  /** `count` distinct items in random order (partial Fisher–Yates on a copy). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice()
    const n = Math.min(count, copy.length)
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i))
      const tmp = copy[i]!
      copy[i] = copy[j]!
      copy[j] = tmp
    }
    return copy.slice(0, n)
  }

  /** RFC 4122 version-4 layout, but every bit comes from this stream: reproducible ids. */
  uuid(): string {
    const w0 = this.nextUint32()
    const w1 = ((this.nextUint32() & 0xffff0fff) | 0x00004000) >>> 0
    const w2 = ((this.nextUint32() & 0x3fffffff) | 0x80000000) >>> 0
    const w3 = this.nextUint32()
    const h1 = hex32(w1)
    const h2 = hex32(w2)
    return `${hex32(w0)}-${h1.slice(0, 4)}-${h1.slice(4)}-${h2.slice(0, 4)}-${h2.slice(4)}${hex32(w3)}`
  }

  /** Lowercase hex string of `bytes` random bytes. */
  hex(bytes: number): string {
    let out = ''
    for (let i = 0; i < bytes; i += 4) out += hex32(this.nextUint32())
    return out.slice(0, bytes * 2)
  }

  /** Base64 of `bytes` random bytes: looks like ciphertext, is not one. */
  base64(bytes: number): string {
    const buf = Buffer.alloc(bytes)
    for (let i = 0; i < bytes; i++) buf[i] = this.nextUint32() & 0xff
    return buf.toString('base64')
  }
}
