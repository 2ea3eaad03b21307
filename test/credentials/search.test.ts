import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTenant } from '../helpers/db'
import { operatorSession, type OperatorSession } from '../tenants/harness'
import { makeCredential } from './fixture'

// Migration 020 finds a search's hits (tenants by name or slug, credentials by label or client id)
// before ordering the list: the same rows must come back, and never those of an unseen tenant.
describe('credentials list search', () => {
  let seen: { id: string; slug: string }
  let unseen: { id: string; slug: string }
  let support: OperatorSession
  const ids = (page: { rows: { id: string }[] }) => page.rows.map((r) => r.id).sort()

  beforeAll(async () => {
    seen = await makeTenant('credsrch-seen')
    unseen = await makeTenant('credsrch-hidden')
    support = await operatorSession(['support'], [seen.id])
  })
  afterAll(async () => {
    await support?.close()
  })

  it('matches a tenant name partially and case-insensitively, a label too, and nothing of a tenant the operator may not see', async () => {
    const mine = [await makeCredential(seen.id, 'client_secret', 'Alpha Zulu Key'), await makeCredential(seen.id, 'webhook_secret', 'Other')]
    const theirs = await makeCredential(unseen.id, 'client_secret', 'Alpha Zulu Key')
    // Tenant names are 'Tenant <slug>': a piece of the name, in other case, matches both of mine.
    const byName = await support.value('credentials.list', { search: `  TENANT ${seen.slug.slice(0, -2).toUpperCase()} ` })
    expect(ids(byName)).toEqual(mine.map((c) => c.id).sort())
    // A fragment both tenants' names share: only the visible tenant's credentials.
    const shared = await support.value('credentials.list', { search: 'CredSrch-' })
    expect(ids(shared)).toEqual(mine.map((c) => c.id).sort())
    expect(ids(shared)).not.toContain(theirs.id)
    // A label, partially and in other case: the seen one only.
    const byLabel = await support.value('credentials.list', { search: 'zulu K' })
    expect(ids(byLabel)).toEqual([mine[0]!.id])
    // The client id too.
    const byClient = await support.value('credentials.list', { search: mine[1]!.clientId.slice(2).toUpperCase() })
    expect(ids(byClient)).toEqual([mine[1]!.id])
    // LIKE's wildcards are literal text, and a miss is an empty page.
    expect((await support.value('credentials.list', { search: 'credsrch%seen' })).rows).toEqual([])
    expect((await support.value('credentials.list', { search: seen.slug.replace('-', '_') })).rows).toEqual([])
  })
})
