import type { ReviewRow } from '../../../shared/rpc/areas/marketplace'
import type { Database } from '../../db/types'
import { SqlWhere } from '../../reads/sql'
import { REVIEW_COLUMNS, REVIEW_FROM, toReview, type ReviewDbRow } from './rows'

export interface ReviewQuery {
  templateId: string | null
  search: string
  rating: number | null
  hidden: 'any' | 'hidden' | 'visible'
}

/** Reviews, newest first: of one template or of every one the role may read; the search is a plain substring of title or text. */
export async function listReviews(db: Database, filter: ReviewQuery, page: { offset: number; limit: number }): Promise<{ rows: ReviewRow[]; total: number; offset: number }> {
  return db.withPlatform(async (client) => {
    const where = new SqlWhere()
    if (filter.templateId !== null) where.add(`r.template_id = ${where.param(filter.templateId)}::uuid`)
    if (filter.rating !== null) where.add(`r.rating = ${where.param(filter.rating)}::integer`)
    if (filter.hidden !== 'any') where.add(`r.hidden = ${where.param(filter.hidden === 'hidden')}`)
    if (filter.search !== '') {
      const term = where.param(filter.search)
      where.add(`(strpos(lower(coalesce(r.title, '')), lower(${term})) > 0 or strpos(lower(coalesce(r.content, '')), lower(${term})) > 0)`)
    }
    const { rows } = await client.query<ReviewDbRow & { total: number }>(
      `select ${REVIEW_COLUMNS}, count(*) over ()::integer as total from ${REVIEW_FROM} ${where.sql()}
        order by r.created_at desc, r.id offset ${where.param(page.offset)} limit ${where.param(page.limit)}`,
      where.params
    )
    return { rows: rows.map(toReview), total: rows[0]?.total ?? 0, offset: page.offset }
  })
}
