import { describe, expectTypeOf, it } from 'vitest'
import type { AuditRow } from '../../src/shared/rpc/areas/audit'
import type { ExecutionRow } from '../../src/shared/rpc/areas/executions'
import type { ListFilterOf, ListProcedureName, ListRowOf } from '../../src/renderer/src/rpc/useKeysetList'

// Checked by the type check (tsc covers test/): the keyset hook takes its names, filters and rows
// from the procedure table, so a new list procedure is usable at once and a wrong filter does not compile.
describe('useKeysetList types come from the procedure table', () => {
  it('names exactly the procedures that answer a keyset page', () => {
    expectTypeOf<ListProcedureName>().toEqualTypeOf<'executions.list' | 'audit.list'>()
  })

  it('gives each list its own row type', () => {
    expectTypeOf<ListRowOf<'executions.list'>>().toEqualTypeOf<ExecutionRow>()
    expectTypeOf<ListRowOf<'audit.list'>>().toEqualTypeOf<AuditRow>()
  })

  it("takes each list's own filter, with its enums", () => {
    expectTypeOf<{ status: 'error' }>().toExtend<ListFilterOf<'executions.list'>>()
    expectTypeOf<{ status: 'broken' }>().not.toExtend<ListFilterOf<'executions.list'>>()
    expectTypeOf<{ action: 'DELETE'; actor: string }>().toExtend<ListFilterOf<'audit.list'>>()
    expectTypeOf<{ errorText: string }>().not.toExtend<ListFilterOf<'audit.list'>>()
  })
})
