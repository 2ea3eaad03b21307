import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tenantsProcedures } from '../../src/shared/rpc/areas/tenants'
import { makeSupportTenants, operatorSession, writesFor, type OperatorSession, type SupportTenant } from './harness'

let tenant: SupportTenant
let admin: OperatorSession

beforeAll(async () => {
  tenant = (await makeSupportTenants(1, 'fuzz'))[0]!
  admin = await operatorSession(['admin'], [null])
})

afterAll(async () => {
  expect(admin.internalErrors).toEqual([])
  await admin.close()
})

/** One well-formed input per procedure: each property breaks one field of it. */
function validInputs(): Record<keyof typeof tenantsProcedures, Record<string, unknown>> {
  const limits = { agentUsageLimit: 10, requestsPerMinute: 1, requestsPerHour: 60, storageLimitMb: 5 }
  return {
    'tenants.list': { search: 'x', status: 'active', plan: 'starter', industry: 'retail', sort: 'usage', direction: 'desc', offset: 0, limit: 10 },
    'tenants.names': { search: 'x', offset: 0, limit: 10 },
    'tenants.cached': { tenantId: tenant.id },
    'tenants.facets': {},
    'tenants.export': { filter: { search: 'x', sort: 'name' }, jobId: 'export-fuzz-1' },
    'tenants.search': { query: 'fuzz', limit: 5 },
    'tenants.lookup': { term: tenant.slug },
    'tenants.requestAccess': { tenantId: tenant.id, reason: 'A long enough reason', minutes: 10 },
    'tenants.get': { tenantId: tenant.id },
    'tenants.updateProfile': { tenantId: tenant.id, profile: { name: 'Fuzz', contactEmail: null, websiteUrl: null, businessIndustry: null } },
    'tenants.setStatus': { tenantId: tenant.id, status: 'suspended', reason: 'A long enough reason' },
    'tenants.updateLimits': { tenantId: tenant.id, limits },
    'tenants.addDomain': { tenantId: tenant.id, domain: 'fuzz.example.com' },
    'tenants.removeDomain': { tenantId: tenant.id, domainId: '00000000-0000-4000-8000-000000000000' },
    'tenants.sessions': { tenantId: tenant.id, offset: 0, limit: 5 },
    'tenants.transcript': { tenantId: tenant.id, sessionId: tenant.sessionId },
    'tenants.searchConversations': { tenantId: tenant.id, query: 'invoice', limit: 5 },
    'tenants.timeline': { tenantId: tenant.id, kinds: ['audit'], before: null, limit: 5 }
  }
}

/** Replaces one (possibly nested) field with anything its schema rejects, or adds an unknown key. */
function brokenVariant(procedure: keyof typeof tenantsProcedures, valid: Record<string, unknown>) {
  const schema = tenantsProcedures[procedure].input
  const paths: string[][] = []
  for (const [key, value] of Object.entries(valid)) {
    paths.push([key])
    if (value && typeof value === 'object' && !Array.isArray(value)) for (const inner of Object.keys(value)) paths.push([key, inner])
  }
  const replaced = paths.length
    ? fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.anything(), fc.string(), fc.integer(), fc.double(), fc.constant(-1), fc.constant(1e12), fc.constant('12abc'))).map(([path, junk]) => {
        const copy = structuredClone(valid)
        let target = copy as Record<string, unknown>
        for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>
        target[path[path.length - 1]!] = junk
        return copy as unknown
      })
    : fc.constant({ surplus: 1 } as unknown)
  const extraKey = fc.string({ minLength: 1 }).filter((k) => !(k in valid) && k !== '__proto__').map((k) => ({ ...valid, [k]: 1 }) as unknown)
  return fc.oneof(replaced, extraKey, fc.anything()).filter((input) => !schema.safeParse(input).success)
}

describe('every tenants procedure refuses bad input with a typed error and writes nothing', () => {
  for (const procedure of Object.keys(tenantsProcedures) as (keyof typeof tenantsProcedures)[]) {
    it(procedure, async () => {
      const valid = validInputs()[procedure]
      expect(tenantsProcedures[procedure].input.safeParse(valid).success).toBe(true)
      const before = await writesFor([tenant.id])
      await fc.assert(
        fc.asyncProperty(brokenVariant(procedure, valid), async (input) => {
          const result = await admin.call(procedure, input)
          expect(result.ok).toBe(false)
          if (!result.ok) {
            expect(result.error.code).toBe('BAD_INPUT')
            expect(result.error.issues?.length).toBeGreaterThan(0)
          }
        }),
        { numRuns: 40 }
      )
      expect(await writesFor([tenant.id])).toBe(before)
    })
  }

  it('well-formed ids of tenants that do not exist get NOT_FOUND from every per-tenant procedure, and nothing is written', async () => {
    const before = await writesFor([tenant.id])
    const perTenant = Object.entries(validInputs()).filter(([, input]) => 'tenantId' in input && !('reason' in input && 'minutes' in input))
    await fc.assert(
      fc.asyncProperty(fc.uuid({ version: 4 }), fc.constantFrom(...perTenant), async (tenantId, [procedure, input]) => {
        fc.pre(tenantId !== tenant.id)
        const result = await admin.call(procedure, { ...input, tenantId })
        expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
      }),
      { numRuns: 40 }
    )
    expect(await writesFor([tenant.id])).toBe(before)
  })
})
