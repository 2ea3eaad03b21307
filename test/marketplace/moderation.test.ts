import { setTimeout as sleep } from 'node:timers/promises'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminClient, makeOperator, makeTenant, type TestOperator } from '../helpers/db'
import { ACTIONS, LEGAL, STATES, act, draftTemplate, failure, templateIn, templateRow, type Action } from './helpers'

/**
 * Issue 11, item 1: moderation enforced by the database (migrations/012). Every operator is a
 * real login role in the run's groups; submissions (the author's side) go through the admin.
 */

let admin: pg.Client
let tenant: string
let user: string
let moderator: TestOperator
let moderatorClient: pg.Client
const clients: pg.Client[] = []

async function clientOf(operator: TestOperator): Promise<pg.Client> {
  const client = await operator.client()
  clients.push(client)
  return client
}

beforeAll(async () => {
  admin = await adminClient()
  tenant = (await makeTenant('market')).id
  const { rows } = await admin.query<{ id: string }>(`insert into users (tenant_id, email, full_name) values ($1, 'author@example.com', 'Ana Autora') returning id`, [tenant])
  user = rows[0]!.id
  moderator = await makeOperator(['moderator'])
  moderatorClient = await clientOf(moderator)
})

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()))
  await admin?.end()
})

describe('the moderation state machine', () => {
  const cases = STATES.flatMap((state) => Object.keys(ACTIONS).map((action) => ({ state, action: action as Action })))

  it.each(cases)('$action from $state: allowed only where the machine says', async ({ state, action }) => {
    const id = await templateIn(admin, admin, moderatorClient, tenant, user, state)
    const before = await templateRow(admin, id)
    const result = await failure(act(admin, action === 'submit' ? admin : moderatorClient, action, id))
    if (LEGAL.has(`${state}:${action}`)) {
      expect(result).toEqual({ code: 'succeeded' })
    } else {
      expect(result).toEqual({ code: '55000', detail: state })
      const after = await templateRow(admin, id)
      expect([after.status, after.version]).toEqual([before.status, before.version])
    }
  })

  it('reaches the console as CONFLICT naming the state', async () => {
    const id = await draftTemplate(admin, tenant, user)
    const db = moderator.database()
    try {
      await expect(db.withPlatform((c) => c.query('select app.publish_template($1, 1)', [id]))).rejects.toMatchObject({
        code: 'CONFLICT',
        message: 'Not allowed while it is draft.'
      })
    } finally {
      await db.close()
    }
  })

  it('refuses a moderator who changes a template or a review directly', async () => {
    const id = await draftTemplate(admin, tenant, user)
    await expect(moderatorClient.query(`update templates set status = 'published', published_at = now() where id = $1`, [id])).rejects.toMatchObject({ code: '42501' })
    await expect(moderatorClient.query(`update reviews set hidden = true, hidden_reason = 'spam' where template_id = $1`, [id])).rejects.toMatchObject({ code: '42501' })
    expect((await templateRow(admin, id)).status).toBe('draft')
  })

  it('refuses a decision without a claim, or on another moderator\'s claim', async () => {
    const other = await clientOf(await makeOperator(['moderator']))
    const id = await templateIn(admin, admin, moderatorClient, tenant, user, 'in_review')
    expect(await failure(act(admin, other, 'approve', id))).toEqual({ code: 'P0409', detail: moderator.name })
    expect(await failure(act(admin, other, 'reject', id))).toEqual({ code: 'P0409', detail: moderator.name })
    expect((await templateRow(admin, id)).status).toBe('in_review')
  })

  it('refuses bad input with a clear error and changes nothing', async () => {
    const id = await templateIn(admin, admin, moderatorClient, tenant, user, 'in_review')
    const { version } = await templateRow(admin, id)
    const tries = [
      ['reject_template', version, 'hardcoded_secret', ' \u200b '],
      ['reject_template', version, 'meets_guidelines', 'A reason for the author'],
      ['approve_template', version, 'no_such_reason', ''],
      ['approve_template', null, 'meets_guidelines', '']
    ] as const
    for (const [fn, seen, reason, note] of tries) {
      expect((await failure(moderatorClient.query(`select app.${fn}($1, $2, $3, $4)`, [id, seen, reason, note]))).code, `${fn} ${reason}`).toBe('22023')
    }
    expect((await templateRow(admin, id)).version).toBe(version)
  })

  it('keeps versions immutable and hashes their content', async () => {
    const id = await templateIn(admin, admin, moderatorClient, tenant, user, 'submitted')
    const { current_version_id } = await templateRow(admin, id)
    const { rows } = await admin.query(
      `select content_hash, app.template_content_hash(definition, name, description, category, price, currency) as expected from template_versions where id = $1`,
      [current_version_id]
    )
    expect(rows[0].content_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(rows[0].content_hash).toBe(rows[0].expected)
    await expect(admin.query(`update template_versions set definition = '{}' where id = $1`, [current_version_id])).rejects.toMatchObject({ code: '55000' })
    await expect(admin.query(`delete from template_versions where id = $1`, [current_version_id])).rejects.toMatchObject({ code: '55000' })
  })

  it('publishes the approved version, and a resubmission becomes a new version', async () => {
    const id = await templateIn(admin, admin, moderatorClient, tenant, user, 'rejected')
    const first = await templateRow(admin, id)
    await admin.query(`update templates set description = 'Sends new leads to the CRM and Slack' where id = $1`, [id])
    for (const action of ['submit', 'claim', 'approve', 'publish'] as const) await act(admin, action === 'submit' ? admin : moderatorClient, action, id)
    const published = await templateRow(admin, id)
    expect(published.published_version_id).not.toBe(first.current_version_id)
    expect(published.published_version_id).toBe(published.current_version_id)
    const { rows } = await admin.query(`select number, description from template_versions where template_id = $1 order by number`, [id])
    expect(rows).toEqual([
      { number: 1, description: 'Sends new leads to the CRM' },
      { number: 2, description: 'Sends new leads to the CRM and Slack' }
    ])
  })
})

describe('claims', () => {
  it('20 concurrent moderators claiming one item: exactly one wins, the others learn who', async () => {
    const moderators = await Promise.all(Array.from({ length: 20 }, (_, i) => makeOperator(['moderator'], [], `race${i}`)))
    const racers = await Promise.all(moderators.map(clientOf))
    const id = await templateIn(admin, admin, moderatorClient, tenant, user, 'submitted')
    const { version } = await templateRow(admin, id)
    const results = await Promise.all(racers.map((c) => failure(ACTIONS.claim!(c, id, version))))
    const winners = results.flatMap((r, i) => (r.code === 'succeeded' ? [moderators[i]!.name] : []))
    expect(winners).toHaveLength(1)
    expect(results.filter((r) => r.code === 'P0409' && r.detail === winners[0])).toHaveLength(19)
    const row = await templateRow(admin, id)
    expect([row.status, row.claimed_by]).toEqual(['in_review', winners[0]])
    const claims = await admin.query(`select created_by from moderation_history where template_id = $1 and action = 'claim'`, [id])
    expect(claims.rows).toEqual([{ created_by: winners[0] }])
  })

  it('expire after the lease set in moderation_settings', async () => {
    const other = await makeOperator(['moderator'])
    const otherClient = await clientOf(other)
    await admin.query(`update moderation_settings set claim_lease = interval '1 second'`)
    try {
      const id = await templateIn(admin, admin, moderatorClient, tenant, user, 'in_review')
      expect(await failure(act(admin, otherClient, 'claim', id))).toEqual({ code: 'P0409', detail: moderator.name })
      await sleep(1100)
      expect(await failure(act(admin, otherClient, 'claim', id))).toEqual({ code: 'succeeded' })
      expect((await templateRow(admin, id)).claimed_by).toBe(other.name)
    } finally {
      await admin.query(`update moderation_settings set claim_lease = interval '30 minutes'`)
    }
  })

  it('an expired claim decides nothing', async () => {
    await admin.query(`update moderation_settings set claim_lease = interval '1 second'`)
    try {
      const id = await templateIn(admin, admin, moderatorClient, tenant, user, 'in_review')
      await sleep(1100)
      expect(await failure(act(admin, moderatorClient, 'approve', id))).toEqual({ code: '55000', detail: 'unclaimed' })
    } finally {
      await admin.query(`update moderation_settings set claim_lease = interval '30 minutes'`)
    }
  })
})

describe('stale actions', () => {
  it('get a CONFLICT naming the moderator who changed the template', async () => {
    const second = await makeOperator(['moderator'])
    const id = await templateIn(admin, admin, moderatorClient, tenant, user, 'submitted')
    const seen = (await templateRow(admin, id)).version as number
    await ACTIONS.claim!(await clientOf(second), id, seen)
    await ACTIONS.release!(await clientOf(second), id, seen + 1)
    const db = moderator.database()
    try {
      const stale = db.withPlatform((c) => c.query('select app.claim_template($1, $2)', [id, seen]))
      await expect(stale).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(second.name) })
    } finally {
      await db.close()
    }
  })
})

describe('who may moderate', () => {
  it('support is refused (42501), and cannot call any moderation function', async () => {
    const support = await clientOf(await makeOperator(['support'], [tenant]))
    const id = await templateIn(admin, admin, moderatorClient, tenant, user, 'submitted')
    for (const action of Object.keys(ACTIONS) as Action[]) {
      expect((await failure(act(admin, support, action, id))).code, action).toBe('42501')
    }
    expect((await templateRow(admin, id)).status).toBe('submitted')
  })

  it('an admin assigned to all tenants moderates; an admin of one tenant does not', async () => {
    const platformAdmin = await clientOf(await makeOperator(['admin'], [null]))
    const tenantAdmin = await clientOf(await makeOperator(['admin'], [tenant]))
    const id = await templateIn(admin, admin, moderatorClient, tenant, user, 'submitted')
    expect(await failure(act(admin, tenantAdmin, 'claim', id))).toEqual({ code: '42501' })
    for (const action of ['claim', 'approve', 'publish'] as const) expect(await failure(act(admin, platformAdmin, action, id))).toEqual({ code: 'succeeded' })
    const { rows } = await platformAdmin.query(`select action from moderation_history where template_id = $1 order by seq`, [id])
    expect(rows.map((r) => r.action)).toEqual(['submit', 'claim', 'approve', 'publish'])
  })

  it('moderators cannot read conversations, credentials or consent', async () => {
    for (const table of ['conversations', 'tenant_credentials', 'user_consent', 'sessions', 'audit_logs']) {
      await expect(moderatorClient.query(`select 1 from ${table} limit 1`), table).rejects.toMatchObject({ code: '42501' })
    }
  })
})

describe('history and audit', () => {
  it('every action has an audit row and a history row with its moderator as actor', async () => {
    const id = await templateIn(admin, admin, moderatorClient, tenant, user, 'taken_down')
    const { rows: review } = await admin.query<{ id: string }>(
      `insert into reviews (tenant_id, template_id, reviewer_user_id, rating, content) values ($1, $2, $3, 1, 'scam scam scam') returning id`,
      [tenant, id, user]
    )
    await moderatorClient.query('select app.set_review_hidden($1, 1, true, $2, $3)', [review[0]!.id, 'abusive', 'Insults the author'])

    // Each row says what moved: the template's state, the review, or the rating that followed it.
    const audit = await admin.query<{ actor: string; moved: string }>(
      `select actor, case when resource_id = $2 then 'hidden=' || (new_values ->> 'hidden')
                          when old_values ->> 'status' is distinct from new_values ->> 'status' then new_values ->> 'status'
                          else 'rating_count=' || (new_values ->> 'rating_count') end as moved
         from audit_logs where resource_id in ($1, $2) and action = 'UPDATE' order by seq`,
      [id, review[0]!.id]
    )
    expect(audit.rows.filter((r) => r.actor === moderator.name).map((r) => r.moved)).toEqual([
      'in_review', 'approved', 'published', 'taken_down', 'hidden=true', 'rating_count=0'
    ])

    const history = await moderatorClient.query<{ action: string; created_by: string; reason_code: string | null }>(
      `select action, created_by, reason_code from moderation_history where template_id = $1 order by seq`,
      [id]
    )
    expect(history.rows).toEqual([
      { action: 'submit', created_by: 'postgres', reason_code: null },
      { action: 'claim', created_by: moderator.name, reason_code: null },
      { action: 'approve', created_by: moderator.name, reason_code: 'meets_guidelines' },
      { action: 'publish', created_by: moderator.name, reason_code: null },
      { action: 'take_down', created_by: moderator.name, reason_code: 'security_issue' },
      { action: 'hide_review', created_by: moderator.name, reason_code: 'abusive' }
    ])
    await expect(moderatorClient.query(`update moderation_history set note = 'x' where template_id = $1`, [id])).rejects.toMatchObject({ code: '42501' })
  })

  it('a takedown keeps the purchases and says why in public', async () => {
    const id = await templateIn(admin, admin, moderatorClient, tenant, user, 'published')
    await admin.query(`insert into template_purchases (tenant_id, template_id, buyer_user_id, price_paid, currency, status) values ($1, $2, $3, 0, 'USD', 'succeeded')`, [tenant, id, user])
    await act(admin, moderatorClient, 'take_down', id)
    const row = await templateRow(admin, id)
    expect([row.status, row.takedown_reason, row.taken_down_by]).toEqual(['taken_down', 'Sends customer data to an unknown host', moderator.name])
    expect((await admin.query('select count(*)::int as n from template_purchases where template_id = $1', [id])).rows[0].n).toBe(1)
  })
})

describe('derived figures', () => {
  it('the rating follows hidden reviews in the same transaction: hiding the only review leaves no rating', async () => {
    const id = await templateIn(admin, admin, moderatorClient, tenant, user, 'published')
    const { rows } = await admin.query<{ id: string }>(
      `insert into reviews (tenant_id, template_id, reviewer_user_id, rating, content) values ($1, $2, $3, 5, 'Buy cheap followers at spam.example') returning id`,
      [tenant, id, user]
    )
    const rating = async () => {
      const r = await templateRow(admin, id)
      return [r.rating_avg, r.rating_count]
    }
    expect(await rating()).toEqual(['5.00', 1])
    const seen = (await templateRow(admin, id)).version
    await moderatorClient.query('select app.set_review_hidden($1, 1, true, $2, $3)', [rows[0]!.id, 'spam', 'Advertising link'])
    expect(await rating()).toEqual(['0.00', 0])
    // Figures that move with reviews do not make a moderator's view of the template stale.
    expect((await templateRow(admin, id)).version).toBe(seen)
    await moderatorClient.query('select app.set_review_hidden($1, 2, false, $2, null)', [rows[0]!.id, 'hidden_in_error'])
    expect(await rating()).toEqual(['5.00', 1])
    expect(await failure(moderatorClient.query('select app.set_review_hidden($1, 2, true, $2, $3)', [rows[0]!.id, 'spam', 'Advertising link']))).toEqual({
      code: 'P0409',
      detail: moderator.name
    })
  })

  it('the download count follows succeeded purchases in the same transaction', async () => {
    const id = await templateIn(admin, admin, moderatorClient, tenant, user, 'published')
    await admin.query('begin')
    const { rows } = await admin.query<{ id: string }>(
      `insert into template_purchases (tenant_id, template_id, buyer_user_id, price_paid, currency, status) values ($1, $2, $3, 0, 'USD', 'succeeded') returning id`,
      [tenant, id, user]
    )
    expect((await templateRow(admin, id)).download_count).toBe(1)
    await admin.query(`update template_purchases set status = 'refunded' where id = $1`, [rows[0]!.id])
    expect((await templateRow(admin, id)).download_count).toBe(0)
    await admin.query('rollback')
  })
})
