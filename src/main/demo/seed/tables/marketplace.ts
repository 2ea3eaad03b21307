import { ABUSIVE_REVIEWS, HIDDEN_REVIEWS, REJECTIONS, REVIEW_TEXTS, TAKEDOWNS, TEMPLATE_IDEAS } from '../pools/marketplace'
import { reviseWorkflow, templateWorkflow, type TemplateFlavour } from '../pools/workflows'
import { pgArray } from '../copy-text'
import { Rng } from '../prng'
import { demoOperatorName } from '../operators'
import { addMs, DAY_MS, daysBefore, HOUR_MS } from '../time'
import type { World } from '../world'
import type { Row, TableLoad } from './types'

export type TemplateStatus = 'draft' | 'submitted' | 'in_review' | 'approved' | 'published' | 'rejected' | 'taken_down'

/** One cycle of 20 templates: every moderation state appears in any 20 consecutive templates. */
const STATUS_CYCLE: readonly TemplateStatus[] = [
  'published', 'submitted', 'draft', 'published', 'rejected', 'published', 'taken_down', 'in_review', 'submitted', 'published',
  'approved', 'draft', 'published', 'rejected', 'published', 'submitted', 'in_review', 'taken_down', 'published', 'published'
]
const MINUTE_MS = 60_000
const QUEUE: ReadonlySet<TemplateStatus> = new Set(['submitted', 'in_review'])
const DECIDED: ReadonlySet<TemplateStatus> = new Set(['approved', 'published', 'rejected', 'taken_down'])
const APPROVED: ReadonlySet<TemplateStatus> = new Set(['approved', 'published', 'taken_down'])
/** Template 7 (in review in the demo) is the very large workflow. */
const GIANT_TEMPLATE = 7
/** By j % 5: template 1, the oldest queue item, carries the planted key. */
const FLAVOURS: readonly TemplateFlavour[] = ['integration', 'planted_key', 'code_fetch', 'many_hosts', 'integration']
/** The submission side of the platform: versions are its rows, not an operator's. */
const PLATFORM_SUBMITTER = 'marketplace_platform'

export interface Marketplace {
  templates: Row[]
  versions: Row[]
  history: Row[]
  purchases: Row[]
  reviews: Row[]
}

/**
 * Built in memory (50k templates at bench scale): ratings and download counts agree with the
 * reviews and purchases, states with versions, claims and history, as migrations/012 keeps them.
 * Queue items were submitted within the last four days, the first one longest ago (the oldest
 * item carries the planted key), so the 48-hour SLA badge shows on about half of them.
 */
export function buildMarketplace(world: World): Marketplace {
  const { seed, anchor, profile } = world
  const moderator = demoOperatorName(world.rolePrefix, 'moderator')
  const market: Marketplace = { templates: [], versions: [], history: [], purchases: [], reviews: [] }
  let reviewCounter = 0
  const usedNames = new Set<string>()

  for (let j = 0; j < profile.templates; j++) {
    const rng = new Rng(seed, 'template', j)
    const status = STATUS_CYCLE[j % STATUS_CYCLE.length]!
    let creator = world.pickTenant(rng)
    while (creator.status === 'closed') creator = world.pickTenant(rng)
    const ideas = TEMPLATE_IDEAS.filter((i) => i.language === creator.company.language)
    const idea = ideas[j % ideas.length]!
    const name = usedNames.has(idea.name) ? `${idea.name} · ${creator.company.name}`.slice(0, 255) : idea.name
    const created = daysBefore(anchor, rng.int(20, profile.historyDays + 200) + rng.next())
    const submitted = status === 'draft' ? null
      : QUEUE.has(status) ? new Date(anchor.getTime() - (1 + ((profile.templates - j) / profile.templates) * 95) * HOUR_MS)
      : addMs(created, rng.int(1, 10) * DAY_MS)
    const reviewedAt = DECIDED.has(status) ? addMs(submitted!, rng.int(2, 72) * HOUR_MS) : null
    const published = status === 'published' || status === 'taken_down' ? addMs(reviewedAt!, rng.int(5, 120) * MINUTE_MS) : null
    const takenDown = status === 'taken_down' ? addMs(published!, rng.int(1, 30) * DAY_MS) : null
    const claimedAt = status === 'in_review' ? addMs(submitted!, rng.int(10, 50) * MINUTE_MS) : null
    const free = rng.chance(0.55)
    const price = free ? 0 : rng.pick([9.99, 19.99, 29.99, 49.99, 79.99, 149.0])
    const currency = creator.company.language === 'es' && creator.company.country === 'ES' ? 'EUR' : 'USD'
    const id = rng.uuid()
    const author = creator.users[0]!

    // Versions: every submission; a queue item with j % 3 === 0 is a resubmission after a rejection.
    const flavour = j === GIANT_TEMPLATE ? 'giant' : FLAVOURS[j % FLAVOURS.length]!
    const resubmitted = QUEUE.has(status) && j % 3 === 0
    const definitions = submitted ? [templateWorkflow(flavour, name, rng)] : []
    if (resubmitted) definitions.push(reviseWorkflow(definitions[0]!, rng))
    const versionIds = definitions.map((definition, v) => {
      const at = v === 0 && resubmitted ? addMs(submitted!, -rng.int(3, 9) * DAY_MS) : submitted!
      const versionId = rng.uuid()
      market.versions.push({
        id: versionId, tenant_id: creator.id, template_id: id, number: v + 1, definition, name, description: idea.description,
        category: idea.category, price, currency, created_at: at, updated_at: at, created_by: PLATFORM_SUBMITTER, updated_by: PLATFORM_SUBMITTER
      })
      return { id: versionId, at }
    })
    const current = versionIds.at(-1)
    const rejection = status === 'rejected' || resubmitted ? REJECTIONS[j % REJECTIONS.length]! : null
    const takedown = status === 'taken_down' ? TAKEDOWNS[j % TAKEDOWNS.length]! : null

    let moderationSteps = 0
    const history = (at: Date, actor: string, action: string, from: string, to: string, versionId: string | undefined, reason: string | null = null, note: string | null = null, review: string | null = null) => {
      moderationSteps += action === 'hide_review' ? 0 : 1
      market.history.push({
        id: rng.uuid(), tenant_id: creator.id, template_id: id, version_id: versionId ?? null, review_id: review, action, from_status: from, to_status: to,
        reason_code: reason, note, created_at: at, updated_at: at, created_by: actor, updated_by: actor
      })
    }
    if (resubmitted) {
      const first = versionIds[0]!
      history(first.at, PLATFORM_SUBMITTER, 'submit', 'draft', 'submitted', first.id)
      history(addMs(first.at, HOUR_MS), moderator, 'claim', 'submitted', 'in_review', first.id)
      history(addMs(first.at, 2 * HOUR_MS), moderator, 'reject', 'in_review', 'rejected', first.id, rejection!.code, rejection!.note)
    }
    if (current) history(current.at, PLATFORM_SUBMITTER, 'submit', resubmitted ? 'rejected' : 'draft', 'submitted', current.id)
    if (claimedAt) history(claimedAt, moderator, 'claim', 'submitted', 'in_review', current!.id)
    if (reviewedAt) {
      history(addMs(reviewedAt, -30 * MINUTE_MS), moderator, 'claim', 'submitted', 'in_review', current!.id)
      if (status === 'rejected') history(reviewedAt, moderator, 'reject', 'in_review', 'rejected', current!.id, rejection!.code, rejection!.note)
      else history(reviewedAt, moderator, 'approve', 'in_review', 'approved', current!.id, 'meets_guidelines', null)
    }
    if (published) history(published, moderator, 'publish', 'approved', 'published', current!.id)
    if (takenDown) history(takenDown, moderator, 'take_down', 'published', 'taken_down', current!.id, takedown!.code, takedown!.reason)

    let sold = 0
    let ratingSum = 0
    let ratingCount = 0
    if (published) {
      const buyers = rng.int(...profile.purchasesPerTemplate)
      const until = takenDown ?? anchor
      for (let p = 0; p < buyers; p++) {
        const buyer = world.pickTenant(rng)
        const purchasedAt = addMs(published, rng.next() * Math.max(HOUR_MS, until.getTime() - published.getTime()))
        const state = free ? 'succeeded' : rng.weighted([['succeeded', 90], ['refunded', 5], ['failed', 5]] as const)
        if (state === 'succeeded') sold++
        market.purchases.push({
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
        // Every 9th review was hidden by a moderator (with its reason); every 13th is abusive and still waits for one.
        const n = reviewCounter++
        const hidden = n % 9 === 4
        const hiddenText = hidden ? HIDDEN_REVIEWS[reviewCounter % HIDDEN_REVIEWS.length]! : null
        const abusive = !hidden && n % 13 === 6 ? ABUSIVE_REVIEWS[n % ABUSIVE_REVIEWS.length]! : null
        const text = hiddenText ?? abusive ?? rng.pick(REVIEW_TEXTS[reviewerTenant.company.language])
        const hiddenAt = hidden ? addMs(createdAt, rng.int(1, 48) * HOUR_MS) : null
        if (!hidden) {
          ratingSum += text.rating
          ratingCount++
        }
        const reviewId = rng.uuid()
        market.reviews.push({
          id: reviewId,
          tenant_id: reviewerTenant.id,
          template_id: id,
          reviewer_user_id: reviewer.id,
          rating: text.rating,
          title: text.title,
          content: text.content,
          helpful_count: hidden ? 0 : rng.int(0, 25),
          hidden,
          hidden_reason: hiddenText?.reason ?? null,
          hidden_reason_code: hiddenText?.code ?? null,
          hidden_by: hidden ? moderator : null,
          hidden_at: hiddenAt,
          version: hidden ? 2 : 1,
          created_at: createdAt,
          updated_at: hiddenAt ?? createdAt
        })
        if (hiddenAt) history(hiddenAt, moderator, 'hide_review', status, status, current!.id, hiddenText!.code, hiddenText!.reason, reviewId)
      }
    }

    const updated = [created, submitted, claimedAt, reviewedAt, published, takenDown].filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime()).at(-1)!
    market.templates.push({
      id,
      tenant_id: creator.id,
      creator_user_id: author.id,
      workflow_id: rng.chance(0.8) ? rng.pick(creator.workflows).id : null,
      // The first template of each idea keeps the plain name; later ones carry their creator's name.
      name,
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
      rejection_reason: status === 'rejected' ? rejection!.note : null,
      claimed_by: claimedAt ? moderator : null,
      claimed_at: claimedAt,
      claim_expires_at: claimedAt ? addMs(claimedAt, 30 * MINUTE_MS) : null,
      current_version_id: current?.id ?? null,
      approved_version_id: APPROVED.has(status) ? current!.id : null,
      published_version_id: published ? current!.id : null,
      decision_reason_code: status === 'rejected' ? rejection!.code : APPROVED.has(status) ? 'meets_guidelines' : null,
      decision_note: status === 'rejected' ? rejection!.note : null,
      takedown_reason_code: takedown?.code ?? null,
      takedown_reason: takedown?.reason ?? null,
      taken_down_by: takenDown ? moderator : null,
      taken_down_at: takenDown,
      // One version per change a moderator could see: creation, each moderation step and featuring.
      version: 1 + moderationSteps + (status === 'published' && j % 10 === 0 ? 1 : 0),
      created_at: created,
      updated_at: updated
    })
    usedNames.add(idea.name)
  }
  return market
}

export function marketplaceLoads(market: Marketplace): TableLoad[] {
  return [
    { table: 'templates', planned: market.templates.length, rows: () => market.templates },
    { table: 'template_versions', planned: market.versions.length, rows: () => market.versions },
    { table: 'moderation_history', planned: market.history.length, rows: () => market.history },
    { table: 'template_purchases', planned: market.purchases.length, rows: () => market.purchases },
    { table: 'reviews', planned: market.reviews.length, rows: () => market.reviews }
  ]
}
