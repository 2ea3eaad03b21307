import type { z } from 'zod'
import { procedures } from '../../shared/rpc/procedures'
import type { ProcedureTable } from '../../shared/rpc/define'
import { RpcError, type RpcErrorShape, type RpcResult } from '../../shared/rpc/errors'
import { describeError } from './describe-error'
import type { HandlerContext, HandlerTable } from './types'

export type Dispatch = (name: unknown, input: unknown) => Promise<RpcResult<unknown>>

export interface DispatcherOptions {
  /** Where an unexpected handler failure is reported; gets a redacted description only. */
  logInternal?: (procedure: string, detail: string) => void
}

type AnyHandler = (input: unknown, ctx: HandlerContext) => Promise<unknown>

/**
 * The one gate between a transport (IPC or HTTP) and the handlers. Whatever arrives is untrusted:
 * the name must be an own key of the procedure table and the input must pass its schema before a
 * handler sees it. Failures leave as RpcErrorShape; anything unexpected becomes a generic INTERNAL
 * so no driver message or stack crosses the boundary.
 */
export function createDispatcher(handlers: HandlerTable, ctxFactory: () => HandlerContext, options: DispatcherOptions = {}): Dispatch {
  const table: ProcedureTable = procedures
  const logInternal = options.logInternal ?? ((procedure, detail) => console.error(`rpc ${procedure} failed: ${detail}`))

  return async (name, input) => {
    if (typeof name !== 'string' || !Object.hasOwn(table, name) || !Object.hasOwn(handlers, name)) {
      return failure(new RpcError('UNKNOWN_PROCEDURE', `Unknown procedure: ${printable(name)}`))
    }
    const parsed = (table[name]!.input as z.ZodType).safeParse(input)
    if (!parsed.success) {
      return failure(
        new RpcError('BAD_INPUT', `Invalid input for ${name}`, {
          issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
        })
      )
    }
    try {
      const handler = (handlers as unknown as Record<string, AnyHandler>)[name]!
      return { ok: true, value: await handler(parsed.data, ctxFactory()) }
    } catch (error) {
      if (error instanceof RpcError) return failure(error)
      logInternal(name, describeError(error))
      return failure(new RpcError('INTERNAL', 'Internal error; the details are in the console log.'))
    }
  }
}

function failure(error: RpcError): { ok: false; error: RpcErrorShape } {
  return { ok: false, error: error.toJSON() }
}

/** Echo only a short, printable form of a bogus name. */
function printable(name: unknown): string {
  if (typeof name !== 'string') return `(${name === null ? 'null' : typeof name})`
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name)
}
