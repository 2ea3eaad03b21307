/** pg hands back timestamptz as Date, bigint and numeric as strings; the RPC speaks ISO strings and numbers. */
export function iso(value: Date): string
export function iso(value: Date | null): string | null
export function iso(value: Date | null): string | null {
  return value === null ? null : value.toISOString()
}

export function num(value: string | number): number
export function num(value: string | number | null): number | null
export function num(value: string | number | null): number | null {
  return value === null ? null : Number(value)
}
