import fc from 'fast-check'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localizedIssues } from '../../src/renderer/src/areas/Tenants/validation'
import { REASON_MIN, tenantsProcedures } from '../../src/shared/rpc/areas/tenants'
import { INVISIBLE_RANGES, isInvisible } from '../../src/shared/visible-text'
import { adminClient, makeOperator, makeTenant, type TestOperator } from '../helpers/db'

/**
 * Issue 9, item 5: a break-glass (or status) reason made of tabs, newlines or zero-width
 * characters passed the length check. Both the shared contract (which the dialogs use) and the
 * database now count visible characters only, with the same list of invisible ones.
 */

const requestAccess = tenantsProcedures['tenants.requestAccess'].input
const setStatus = tenantsProcedures['tenants.setStatus'].input

// NUL cannot be stored in PostgreSQL text; every other invisible code point can.
const invisibleChar = fc
  .constantFrom(...INVISIBLE_RANGES)
  .chain(([from, to]) => fc.integer({ min: Math.max(from, 1), max: to }))
  .map((cp) => String.fromCodePoint(cp))
const visibleChar = fc.constantFrom('a', 'Z', '7', '#', 'é', 'ñ', 'ß', '中', 'ж', '😀', 'ا')

/** `visible` visible characters in any order among up to 40 invisible ones. */
const reasonWith = (visible: { min: number; max: number }) =>
  fc
    .tuple(fc.array(visibleChar, { minLength: visible.min, maxLength: visible.max }), fc.array(invisibleChar, { maxLength: 40 }))
    .chain(([shown, hidden]) => fc.shuffledSubarray([...shown, ...hidden], { minLength: shown.length + hidden.length }))
    .map((chars) => chars.join(''))

let admin: pg.Client
let support: TestOperator
let tenant: string

beforeAll(async () => {
  admin = await adminClient()
  tenant = (await makeTenant('reason')).id
  support = await makeOperator(['support'])
})

afterAll(async () => {
  await admin?.end()
})

/** The database's verdict on a reason, leaving nothing behind. */
async function databaseAccepts(client: pg.Client, reason: string): Promise<boolean> {
  await client.query('begin')
  try {
    await client.query('select app.request_break_glass($1, $2, 5)', [tenant, reason])
    return true
  } catch (error) {
    expect(error).toMatchObject({ code: '22023', message: expect.stringContaining('visible characters') })
    return false
  } finally {
    await client.query('rollback')
  }
}

describe('reasons need visible characters', () => {
  it('uses the same invisible characters in the contract and in the database', async () => {
    const probes = [...new Set(INVISIBLE_RANGES.flatMap(([from, to]) => [from - 1, from, to, to + 1]))].filter(
      (cp) => cp >= 1 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff)
    )
    const { rows } = await admin.query<{ cp: number; visible: number }>('select cp, app.visible_length(chr(cp)) as visible from unnest($1::int[]) cp', [probes])
    const disagreements = rows.filter((r) => (r.visible === 0) !== isInvisible(r.cp)).map((r) => r.cp.toString(16))
    expect(disagreements).toEqual([])
  })

  it('refuses fewer than 10 visible characters, whatever surrounds them, in the contract and the dialog', () => {
    const t = (key: string, params?: Record<string, unknown>) => `${key} ${JSON.stringify(params ?? {})}`
    fc.assert(
      fc.property(reasonWith({ min: 0, max: REASON_MIN - 1 }), (reason) => {
        expect(requestAccess.safeParse({ tenantId: tenant, reason, minutes: 5 }).success).toBe(false)
        expect(setStatus.safeParse({ tenantId: tenant, status: 'suspended', reason }).success).toBe(false)
        expect(localizedIssues(requestAccess, { tenantId: tenant, reason, minutes: 5 }, t)).toEqual({ reason: `validation.tooShort {"min":${REASON_MIN}}` })
      }),
      { numRuns: 500 }
    )
  })

  it('accepts 10 visible characters or more, whatever surrounds them', () => {
    fc.assert(
      fc.property(reasonWith({ min: REASON_MIN, max: 40 }), (reason) => {
        expect(requestAccess.safeParse({ tenantId: tenant, reason, minutes: 5 }).success).toBe(true)
      }),
      { numRuns: 500 }
    )
  })

  it('is the rule of app.request_break_glass too', async () => {
    const client = await support.client()
    try {
      expect(await databaseAccepts(client, '\t\n \u200b\u200c\u200d\u2060\ufeff\u00a0 ticket 12 \u3000\u180e\u{e0041}')).toBe(false)
      await fc.assert(
        fc.asyncProperty(reasonWith({ min: 0, max: REASON_MIN - 1 }), async (reason) => {
          expect(await databaseAccepts(client, reason)).toBe(false)
        }),
        { numRuns: 40 }
      )
      await fc.assert(
        fc.asyncProperty(reasonWith({ min: REASON_MIN, max: 40 }), async (reason) => {
          expect(await databaseAccepts(client, reason)).toBe(true)
        }),
        { numRuns: 40 }
      )
    } finally {
      await client.end()
    }
    const left = await admin.query('select 1 from break_glass_grants where operator = $1', [support.name])
    expect(left.rowCount).toBe(0)
  })
})
