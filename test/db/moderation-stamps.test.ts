import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTenantWithRows, type TenantRows } from '../helpers/fixtures'
import { adminClient, makeOperator } from '../helpers/db'

/**
 * Issue 9, item 11: moderators could write reviewer, reviewed_at and hidden_by with any value.
 * They are stamped from the session: moderators may not write them, and the trigger keeps them
 * whoever updates the row.
 */

let admin: pg.Client
let rows: TenantRows

beforeAll(async () => {
  admin = await adminClient()
  ;({ rows } = await makeTenantWithRows(admin, 'stamps'))
})

afterAll(async () => {
  await admin?.end()
})

describe('moderation stamps', () => {
  it('refuse a moderator who writes them, and record the moderator who decides', async () => {
    const moderator = await makeOperator(['moderator'])
    const db = moderator.database()
    try {
      const forgeries = [
        [`update templates set reviewer = 'someone_else' where id = $1`, rows.templates],
        [`update templates set reviewed_at = now() - interval '1 year' where id = $1`, rows.templates],
        [`update reviews set hidden_by = 'someone_else' where id = $1`, rows.reviews],
        [`update reviews set hidden_at = now() - interval '1 year' where id = $1`, rows.reviews]
      ] as const
      for (const [sql, id] of forgeries) await expect(db.withPlatform((c) => c.query(sql, [id]))).rejects.toMatchObject({ code: 'FORBIDDEN' })
      // Decisions go through the moderation functions (migrations/012), which the trigger stamps.
      const { version } = (await admin.query<{ version: number }>('select version from templates where id = $1', [rows.templates])).rows[0]!
      await db.withPlatform((c) => c.query('select app.claim_template($1, $2)', [rows.templates, version]))
      const published = await db.withPlatform((c) =>
        c.query(`select reviewer from app.approve_template($1, $2, 'meets_guidelines', '')`, [rows.templates, version + 1])
      )
      const hidden = await db.withPlatform((c) => c.query(`select hidden_by from app.set_review_hidden($1, 1, true, 'spam', 'Spam link')`, [rows.reviews]))
      expect([published.rows[0]!.reviewer, hidden.rows[0]!.hidden_by]).toEqual([moderator.name, moderator.name])
    } finally {
      await db.close()
    }
  })

  it('keep their value on every other update, whoever makes it', async () => {
    const before = await admin.query(
      `select t.reviewer, t.reviewed_at, r.hidden_by, r.hidden_at from templates t, reviews r where t.id = $1 and r.id = $2`,
      [rows.templates, rows.reviews]
    )
    await admin.query(`update templates set reviewer = 'forged', reviewed_at = now() - interval '1 year', is_featured = true where id = $1`, [rows.templates])
    await admin.query(`update reviews set hidden_by = 'forged', hidden_at = now() - interval '1 year', hidden_reason = 'Spam link (2)' where id = $1`, [rows.reviews])
    const after = await admin.query(
      `select t.reviewer, t.reviewed_at, r.hidden_by, r.hidden_at from templates t, reviews r where t.id = $1 and r.id = $2`,
      [rows.templates, rows.reviews]
    )
    expect(after.rows).toEqual(before.rows)
  })
})
