import { z } from 'zod'
import { query } from './define'
import { dataSourceSchema, listPageSchema, type ListPage, type Sourced } from './list'

const uuid = z.uuid()
/** Where a review read is answered from, 'auto' unless asked (see readFrom in the main process). */
const source = dataSourceSchema.default('auto')

/**
 * The procedure shapes every review area repeats: a keyset list under the area's filter, one
 * record of a tenant, and a read about one tenant. Each names its answer's type with `returns`.
 */
export const reviewProcedure = {
  /** A newest-first keyset list: the area's filter (with its default, usually {}) plus cursor, page size and source. */
  list<F extends z.ZodType>(filter: F) {
    return { returns: <R>() => query(z.strictObject({ filter, ...listPageSchema })).returns<ListPage<R>>() }
  },
  /** One record of a tenant, by id; answered with where it came from. */
  record<O extends Sourced>() {
    return query(z.strictObject({ tenantId: uuid, id: uuid, source })).returns<O>()
  },
  /** Something about one tenant as a whole (its workflows, its audit chain). */
  ofTenant<O extends Sourced>() {
    return query(z.strictObject({ tenantId: uuid, source })).returns<O>()
  }
}
