/**
 * Money without floats. Amounts cross every boundary (SQL, JSON, the renderer) as decimal strings;
 * arithmetic runs on BigInt millionths, the finest scale any stored amount has (unit prices are
 * numeric(14, 6), quantities whole numbers, plan fees numeric(10, 2)). A value finer than that is
 * refused rather than rounded: a silent rounding is how totals stop reconciling.
 */

export const MICROS_SCALE = 6
const MICROS = 1_000_000n
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/

/** "12.340000" → 12340000n. Throws on anything that is not a plain decimal of at most six places. */
export function toMicros(value: string): bigint {
  const match = DECIMAL.exec(value.trim())
  if (!match) throw new Error(`Not a decimal amount: ${JSON.stringify(value)}`)
  const [, sign, whole, fraction = ''] = match
  const trimmed = fraction.replace(/0+$/, '')
  if (trimmed.length > MICROS_SCALE) throw new Error(`More than ${MICROS_SCALE} decimal places: ${value}`)
  const micros = BigInt(whole!) * MICROS + BigInt(trimmed.padEnd(MICROS_SCALE, '0') || '0')
  return sign ? -micros : micros
}

/** 12340000n → "12.34" (canonical: no trailing zeros, no exponent), the one spelling both sources give. */
export function fromMicros(micros: bigint): string {
  const negative = micros < 0n
  const abs = negative ? -micros : micros
  const whole = abs / MICROS
  const fraction = (abs % MICROS).toString().padStart(MICROS_SCALE, '0').replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`
}

/** The same amount in its canonical spelling. */
export const canonicalDecimal = (value: string): string => fromMicros(toMicros(value))

export function addDecimals(...values: string[]): string {
  return fromMicros(values.reduce((sum, v) => sum + toMicros(v), 0n))
}

/** part / whole in basis points (1/100 of a percent), rounded toward zero; null when whole is zero. */
export function ratioBasisPoints(part: bigint, whole: bigint): number | null {
  if (whole === 0n) return null
  return Number((part * 10_000n) / whole)
}
