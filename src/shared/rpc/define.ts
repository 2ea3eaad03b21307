import type { z } from 'zod'

export type ProcedureKind = 'query' | 'mutation'

/**
 * One entry of the procedure table. The input is a zod schema checked before any handler runs;
 * the output is a type only (handlers are ours, inputs are not). `kind` says whether the
 * procedure changes data ('mutation') or only reads it ('query').
 */
export interface Procedure<I extends z.ZodType = z.ZodType, O = unknown> {
  kind: ProcedureKind
  input: I
  /** Phantom: carries the output type, never read at run time. */
  output?: O
}

export function query<I extends z.ZodType>(input: I) {
  return { returns: <O>(): Procedure<I, O> => ({ kind: 'query', input }) }
}

export function mutation<I extends z.ZodType>(input: I) {
  return { returns: <O>(): Procedure<I, O> => ({ kind: 'mutation', input }) }
}

export type ProcedureTable = Record<string, Procedure>
export type InputOf<P> = P extends Procedure<infer I, unknown> ? z.input<I> : never
export type ParsedInputOf<P> = P extends Procedure<infer I, unknown> ? z.output<I> : never
export type OutputOf<P> = P extends Procedure<z.ZodType, infer O> ? O : never
