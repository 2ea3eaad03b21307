import type { OutputOf, ParsedInputOf } from '../../shared/rpc/define'
import type { ProcedureName, Procedures } from '../../shared/rpc/procedures'
import type { ServerEvent } from '../../shared/events'
import type { Backend } from '../backend-types'

/** What every handler gets besides its (already validated) input. */
export interface HandlerContext {
  backend: Backend
  /** Sends an event to the renderer(s) of this shell. */
  emit(event: ServerEvent): void
}

export type Handler<N extends ProcedureName> = (
  input: ParsedInputOf<Procedures[N]>,
  ctx: HandlerContext
) => Promise<OutputOf<Procedures[N]>>

/** The main process must implement every name of the table: a missing one is a type error. */
export type HandlerTable = { [N in ProcedureName]: Handler<N> }

/** The handlers of one area (`area.verb` names), as exported by src/main/domains/<area>/handlers.ts. */
export type AreaHandlers<Area extends string> = {
  [N in ProcedureName as N extends `${Area}.${string}` ? N : never]: Handler<N>
}
