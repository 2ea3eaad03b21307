import { checkCapability, type Capability } from '../../shared/capabilities'
import { RpcError } from '../../shared/rpc/errors'
import type { Backend } from '../backend-types'
import type { HandlerContext } from './types'

/**
 * Refuses a call the operator's groups do not allow before it reaches the database, with the same
 * reason the screen shows. Only while online: the groups come from the live connection's identity,
 * and without one the handler answers OFFLINE anyway. The database still enforces every rule; this
 * only spares a round trip that can only fail, and gives the refusal a reason.
 */
export function requireCapability(backend: Pick<Backend, 'status'>, capability: Capability): void {
  const status = backend.status()
  if (status.state !== 'online') return
  const check = checkCapability(status.groups, capability)
  if (!check.allowed) {
    throw new RpcError('FORBIDDEN', `Your groups (${status.groups.join(', ') || 'none'}) do not allow ${capability} (${check.reason}).`)
  }
}

/** An area's handlers, each refusing early (as requireCapability) unless the groups allow `capability`. */
export function gateHandlers<T extends Record<string, (input: never, ctx: HandlerContext) => Promise<unknown>>>(capability: Capability, handlers: T): T {
  const gated = Object.entries(handlers).map(([name, handler]) => [
    name,
    async (input: never, ctx: HandlerContext) => {
      requireCapability(ctx.backend, capability)
      return handler(input, ctx)
    }
  ])
  return Object.fromEntries(gated) as T
}
