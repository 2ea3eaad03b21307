import { HIDDEN_REVIEWS, REJECTION_REASONS, REVIEW_TEXTS, TEMPLATE_IDEAS } from '../pools/marketplace'
import { pgArray } from '../copy-text'
import { Rng } from '../prng'
import { demoOperatorName } from '../operators'
import { addMs, DAY_MS, daysBefore, HOUR_MS } from '../time'
import type { World } from '../world'
import type { Row, TableLoad } from './types'

export type TemplateStatus = 'draft' | 'pending_review' | 'published' | 'rejected' | 'archived'

/** One cycle of 20 templates: every moderation state appears in any 20 consecutive templates. */
const STATUS_CYCLE: readonly TemplateStatus[] = [
  'published', 'pending_review', 'draft', 'published', 'rejected', 'published', 'archived', 'published', 'pending_review', 'published',
  'published', 'draft', 'published', 'rejected', 'published', 'pending_review', 'published', 'archived', 'published', 'published'
]

export interface Marketplace {
  templates: Row[]
  purchases: Row[]
  reviews: Row[]
}

/** Built in memory (5k templates at bench scale): ratings and download counts must agree with the reviews and purchases. */
export function buildMarketplace(world: World): Marketplace {
  const { seed, anchor, profile } = world
  const moderator = demoOperatorName(world.rolePrefix, 'moderator')
  const templates: Row[] = []
  const purchases: Row[] = []
  const reviews: Row[] = []
  let reviewCounter = 0
  const usedNames = new Set<string>()

  for (let j = 0; j < profile.templates; j++) {
    const rng = new Rng(seed, 'template', j)
    const status = STATUS_CYCLE[j % STATUS_CYCLE.length]!
    let creator = world.pickTenant(rng)
    while (creator.status === 'closed') creator = world.pickTenant(rng)
    const ideas = TEMPLATE_IDEAS.filter((i) => i.language === creator.company.language)
    const idea = ideas[j % ideas.length]!
    const created = daysBefore(anchor, rng.int(20, profile.historyDays + 200) + rng.next())
    const submitted = status === 'draft' ? null : addMs(created, rng.int(1, 10) * DAY_MS)
    const reviewedAt = status === 'published' || status === 'rejected' || status === 'archived' ? addMs(submitted!, rng.int(2, 72) * HOUR_MS) : null
    const published = status === 'published' || status === 'archived' ? reviewedAt : null
    const claimed = status === 'pending_review' && rng.chance(0.4)
    const free = rng.chance(0.55)
    const price = free ? 0 : rng.pick([9.99, 19.99, 29.99, 49.99, 79.99, 149.0])
    const currency = creator.company.language === 'es' && creator.company.country === 'ES' ? 'EUR' : 'USD'
    const id = rng.uuid()

    let sold = 0
    let ratingSum = 0
    let ratingCount = 0
    if (published) {
      const buyers = rng.int(...profile.purchasesPerTemplate)
      for (let p = 0; p < buyers; p++) {
        const buyer = world.pickTenant(rng)
        const purchasedAt = addMs(published, rng.next() * Math.max(HOUR_MS, anchor.getTime() - published.getTime()))
        const state = free ? 'succeeded' : rng.weighted([['succeeded', 90], ['refunded', 5], ['failed', 5]] as const)
        if (state === 'succeeded') sold++
        purchases.push({
          id: rng.uuid(),
          tenant_id: buyer.id,
          template_id: id,
          buyer_user_id: rng.pick(buyer.users).id,
          price_paid: price,
          currency,
          stripe_payment_intent_id: free ? null : `pi_${rng.hex(12)}`,
          status: state,
          purchased_at: purchasedAt,
          created_at: purchasedAt,
          updated_at: purchasedAt
        })
      }
      const reviewers = new Set<string>()
      const count = rng.int(...profile.reviewsPerTemplate)
      for (let r = 0; r < count; r++) {
        const reviewerTenant = world.pickTenant(rng)
        const reviewer = rng.pick(reviewerTenant.users)
        if (reviewers.has(reviewer.id)) continue
        reviewers.add(reviewer.id)
        const createdAt = addMs(published, rng.next() * Math.max(HOUR_MS, anchor.getTime() - published.getTime()))
        // Every 9th review was hidden by a moderator, so the review queue shows hidden ones with reasons.
        const hidden = reviewCounter++ % 9 === 4
        const hiddenText = hidden ? HIDDEN_REVIEWS[reviewCounter % HIDDEN_REVIEWS.length]! : null
        const text = hiddenText ?? rng.pick(REVIEW_TEXTS[reviewerTenant.company.language])
        const hiddenAt = hidden ? addMs(createdAt, rng.int(1, 48) * HOUR_MS) : null
        if (!hidden) {
          ratingSum += text.rating
          ratingCount++
        }
        reviews.push({
          id: rng.uuid(),
          tenant_id: reviewerTenant.id,
          template_id: id,
          reviewer_user_id: reviewer.id,
          rating: text.rating,
          title: text.title,
          content: text.content,
          helpful_count: hidden ? 0 : rng.int(0, 25),
          hidden,
          hidden_reason: hiddenText?.reason ?? null,
          hidden_by: hidden ? moderator : null,
          hidden_at: hiddenAt,
          created_at: createdAt,
          updated_at: hiddenAt ?? createdAt
        })
      }
    }

    const updated = [created, submitted, reviewedAt].filter((d): d is Date => d !== null).at(-1)!
    templates.push({
      id,
      tenant_id: creator.id,
      creator_user_id: creator.users[0]!.id,
      workflow_id: rng.chance(0.8) ? rng.pick(creator.workflows).id : null,
      // The first template of each idea keeps the plain name; later ones carry their creator's name.
      name: usedNames.has(idea.name) ? `${idea.name} · ${creator.company.name}`.slice(0, 255) : idea.name,
      description: idea.description,
      category: idea.category,
      tags: pgArray([...idea.tags]),
      price,
      currency,
      is_free: price === 0,
      is_featured: status === 'published' && j % 10 === 0,
      download_count: sold + (free && published ? rng.int(0, 400) : 0),
      rating_avg: ratingCount ? Math.round((ratingSum / ratingCount) * 100) / 100 : 0,
      rating_count: ratingCount,
      status,
      submitted_at: submitted,
      published_at: published,
      reviewer: reviewedAt ? moderator : null,
      reviewed_at: reviewedAt,
      rejection_reason: status === 'rejected' ? rng.pick(REJECTION_REASONS) : null,
      claimed_by: claimed ? moderator : null,
      claimed_at: claimed ? addMs(submitted!, rng.int(1, 20) * HOUR_MS) : null,
      version: 1 + (submitted ? 1 : 0) + (reviewedAt ? 1 : 0) + (status === 'archived' ? 1 : 0) + (claimed ? 1 : 0),
      created_at: created,
      updated_at: updated
    })
    usedNames.add(idea.name)
  }
  return { templates, purchases, reviews }
}

export function marketplaceLoads(market: Marketplace): TableLoad[] {
  return [
    { table: 'templates', planned: market.templates.length, rows: () => market.templates },
    { table: 'template_purchases', planned: market.purchases.length, rows: () => market.purchases },
    { table: 'reviews', planned: market.reviews.length, rows: () => market.reviews }
  ]
}
