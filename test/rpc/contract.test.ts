import fc from 'fast-check'
import type { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { procedures } from '../../src/shared/rpc/procedures'
import { createDispatcher } from '../../src/main/rpc/dispatch'
import type { HandlerContext, HandlerTable } from '../../src/main/rpc/types'

/** A handler for every procedure of the table that only records that it was reached. */
function spyTable() {
  const calls: string[] = []
  const table = Object.fromEntries(
    Object.keys(procedures).map((name) => [
      name,
      async () => {
        calls.push(name)
        return { recorded: name }
      }
    ])
  ) as unknown as HandlerTable
  return { table, calls }
}

const context = (): HandlerContext => {
  throw new Error('the context is built only for a handler call, and none may happen here')
}

/** Random values plus near-misses: the schema's own keys holding values of any type. */
function malformedInputs(schema: z.ZodType): fc.Arbitrary<unknown> {
  const shape = (schema as { shape?: Record<string, unknown> }).shape
  const keys = shape ? Object.keys(shape) : []
  const nearMisses = keys.length > 0
    ? [fc.dictionary(fc.constantFrom(...keys, '__proto__', 'constructor', 'extra'), fc.anything())]
    : [fc.dictionary(fc.string(), fc.anything(), { minKeys: 1 })]
  return fc
    .oneof(fc.anything(), fc.constantFrom(undefined, null, '', 0, [], 'DROP TABLE tenants'), ...nearMisses)
    .filter((value) => !schema.safeParse(value).success)
}

describe('every procedure refuses malformed input before its handler', () => {
  for (const [name, procedure] of Object.entries(procedures)) {
    it(`${name}: malformed input → BAD_INPUT, handler never called`, async () => {
      const { table, calls } = spyTable()
      const dispatch = createDispatcher(table, context)
      await fc.assert(
        fc.asyncProperty(malformedInputs(procedure.input), async (input) => {
          const result = await dispatch(name, input)
          expect(result.ok).toBe(false)
          if (result.ok) return
          expect(result.error.code).toBe('BAD_INPUT')
          expect(result.error.retryable).toBe(false)
          expect(result.error.issues?.length).toBeGreaterThan(0)
        }),
        { numRuns: 150 }
      )
      expect(calls).toEqual([])
    })
  }

  it('the spy table does record a valid call (so zero calls above means something)', async () => {
    const { table, calls } = spyTable()
    const dispatch = createDispatcher(table, () => ({}) as HandlerContext)
    expect(await dispatch('system.ping', {})).toEqual({ ok: true, value: { recorded: 'system.ping' } })
    expect(calls).toEqual(['system.ping'])
  })
})

describe('unknown procedures', () => {
  it('any name outside the table → UNKNOWN_PROCEDURE, no handler called', async () => {
    const { table, calls } = spyTable()
    const dispatch = createDispatcher(table, context)
    const names = fc.oneof(
      fc.string().filter((s) => !Object.hasOwn(procedures, s)),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'system', 'system.', 'SYSTEM.PING', ' system.ping'),
      fc.anything().filter((v) => typeof v !== 'string')
    )
    await fc.assert(
      fc.asyncProperty(names, fc.anything(), async (name, input) => {
        const result = await dispatch(name, input)
        expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PROCEDURE', retryable: false } })
      }),
      { numRuns: 300 }
    )
    expect(calls).toEqual([])
  })
})
