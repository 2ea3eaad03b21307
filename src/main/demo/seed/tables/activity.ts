import { AGENT_NAMES, exchange, TOPICS } from '../pools/conversations'
import { endUserId } from '../pools/people'
import { pgArray } from '../copy-text'
import { Rng } from '../prng'
import { addMs, DAY_MS, daysBefore, HOUR_MS } from '../time'
import type { TenantSeed, World } from '../world'
import { sessionConsentGrantId, type SessionConsent } from './consent'
import type { TableLoad } from './types'

interface SessionPlan {
  id: string
  key: string
  userId: string
  channel: string
  device: 'mobile' | 'desktop'
  start: Date
  conversations: number
  consent: boolean
}

export function sessionPlan(world: World, t: TenantSeed, s: number): SessionPlan {
  const rng = new Rng(world.seed, 'session', t.index, s)
  const channel = rng.weighted([['whatsapp', 5], ['web', 4], ['instagram', 1]] as const)
  // Closed tenants stopped talking to customers when they left.
  const newest = t.status === 'closed' && t.statusChangedAt ? t.statusChangedAt : world.anchor
  return {
    id: rng.uuid(),
    key: `sess_${rng.hex(12)}`,
    userId: endUserId(rng, channel),
    channel,
    device: channel === 'web' && rng.chance(0.45) ? 'desktop' : 'mobile',
    start: daysBefore(newest, rng.next() * world.profile.historyDays),
    conversations: rng.int(...world.profile.conversationsPerSession),
    consent: rng.chance(0.7)
  }
}

/** The customer who wrote the most: one session with `heavyPersonMessages` messages (access export and erasure at size). */
function heavySessionPlan(world: World): SessionPlan {
  const rng = new Rng(world.seed, 'heavy-session')
  return {
    id: rng.uuid(),
    key: `sess_${rng.hex(12)}`,
    userId: endUserId(rng, 'web'),
    channel: 'web',
    device: 'desktop',
    start: daysBefore(world.anchor, 30),
    conversations: world.profile.heavyPersonMessages,
    consent: true
  }
}

export function* sessionPlans(world: World): Generator<[TenantSeed, SessionPlan]> {
  for (const t of world.tenants) for (let s = 0; s < world.profile.sessionsPerTenant; s++) yield [t, sessionPlan(world, t, s)]
  const heavyTenant = world.tenants.find((t) => t.status === 'active')
  if (heavyTenant && world.profile.heavyPersonMessages > 0) yield [heavyTenant, heavySessionPlan(world)]
}

/** The consenting sessions, whose flag names a data_processing grant given when they started. */
export function* sessionConsents(world: World): Generator<SessionConsent> {
  for (const [tenant, plan] of sessionPlans(world)) {
    if (plan.consent) yield { tenant, sessionId: plan.id, userId: plan.userId, channel: plan.channel, at: plan.start }
  }
}

export function activityLoads(world: World): TableLoad[] {
  const { tenants, seed, anchor } = world
  let conversationCount = 0
  for (const [, plan] of sessionPlans(world)) conversationCount += plan.conversations

  return [
    {
      table: 'sessions',
      planned: [...sessionPlans(world)].length,
      *rows() {
        for (const [t, plan] of sessionPlans(world)) {
          const rng = new Rng(seed, 'session-row', plan.id)
          const lastActivity = addMs(plan.start, plan.conversations * rng.int(20_000, 240_000))
          // Seed 000's memory structure: conversationHistory is the conversations table, the rest lives here.
          const context = {
            sessionId: plan.id,
            userId: plan.userId,
            userPreferences: {
              language: t.company.language,
              tone: rng.pick(['formal', 'casual', 'professional']),
              topics: rng.sample(TOPICS[t.company.language], rng.int(1, 3))
            },
            businessContext: { industry: t.company.industry, size: t.company.size, location: t.company.country },
            sessionMetadata: { startTime: plan.start.toISOString(), lastActivity: lastActivity.toISOString(), channel: plan.channel, device: plan.device }
          }
          yield {
            id: plan.id,
            tenant_id: t.id,
            session_key: plan.key,
            user_id: plan.userId,
            channel: plan.channel,
            device: plan.device,
            last_activity: lastActivity,
            expires_at: addMs(lastActivity, 24 * HOUR_MS),
            context,
            context_scope: 'local',
            consent_flag: plan.consent,
            consent_record_id: plan.consent ? sessionConsentGrantId(world, plan.id) : null,
            created_at: plan.start,
            updated_at: lastActivity
          }
        }
      }
    },
    {
      table: 'conversations',
      planned: conversationCount,
      *rows() {
        for (const [t, plan] of sessionPlans(world)) {
          const rng = new Rng(seed, 'conversation', plan.id)
          const agent = rng.pick(AGENT_NAMES[t.company.language])
          let at = plan.start
          for (let c = 0; c < plan.conversations; c++) {
            const ex = exchange(rng, t.company.industry, t.company.language)
            yield {
              id: rng.uuid(),
              tenant_id: t.id,
              session_id: plan.id,
              user_id: plan.userId,
              message: ex.message,
              response: ex.response,
              agent_name: agent,
              sentiment: ex.sentiment,
              confidence_score: ex.confidence,
              context_scope: 'local',
              consent_flag: plan.consent,
              created_at: at,
              updated_at: at
            }
            at = addMs(at, rng.int(20_000, 240_000))
          }
        }
      }
    },
    {
      table: 'local_context',
      planned: tenants.length * 3,
      *rows() {
        for (const t of tenants) {
          const rng = new Rng(seed, 'local-context', t.index)
          const es = t.company.language === 'es'
          const values: [string, object][] = [
            ['business_hours', { mon_fri: '09:00-19:00', sat: rng.chance(0.5) ? '10:00-14:00' : null, sun: null, timezone: t.company.country }],
            ['handoff_policy', { belowConfidence: 0.5, notify: `soporte@${t.company.domain}`, message: es ? 'Te paso con una persona del equipo.' : "I'm handing you over to a colleague." }],
            ['brand_voice', { tone: rng.pick(['formal', 'casual', 'professional']), emoji: rng.chance(0.5), signature: t.company.name }]
          ]
          for (const [key, value] of values) {
            const created = addMs(t.createdAt, rng.int(1, 10) * DAY_MS)
            yield { id: rng.uuid(), tenant_id: t.id, context_key: key, context_value: value, context_scope: 'local', consent_flag: true, created_at: created, updated_at: created }
          }
        }
      }
    },
    {
      table: 'embeddings',
      planned: tenants.length * 2,
      *rows() {
        for (const t of tenants) {
          const rng = new Rng(seed, 'embeddings', t.index)
          for (let e = 0; e < 2; e++) {
            const ex = exchange(rng, t.company.industry, t.company.language)
            const shared = e === 1 && rng.chance(0.5)
            const created = daysBefore(anchor, rng.next() * world.profile.historyDays)
            yield {
              id: rng.uuid(),
              tenant_id: t.id,
              source_text: shared ? ex.message.replace(/\d/g, '#') : ex.message,
              vector: pgArray(Array.from({ length: 8 }, () => rng.float(-1, 1, 4))),
              content_type: e === 0 ? 'faq' : 'conversation',
              language: t.company.language,
              tags: pgArray([ex.topic]),
              anonymized: shared,
              anonymization_method: shared ? 'masking' : null,
              anonymized_fields: pgArray(shared ? ['phone', 'order_number'] : []),
              context_scope: shared ? 'global' : 'local',
              consent_flag: shared,
              created_at: created,
              updated_at: created
            }
          }
        }
      }
    },
    {
      table: 'learnings',
      planned: tenants.length,
      *rows() {
        const patterns = [
          ['pattern', 'Customers asking about prices on WhatsApp convert better when the reply includes a booking link', 'Add a booking link to price answers'],
          ['insight', 'Los mensajes fuera de horario se concentran entre las 21:00 y las 23:00', 'Activar respuesta automática con reserva nocturna'],
          ['correlation', 'Low-confidence answers cluster on messages without an order or booking number', 'Ask for the reference number before answering']
        ] as const
        for (const t of tenants) {
          const rng = new Rng(seed, 'learnings', t.index)
          const [type, pattern, application] = rng.pick(patterns)
          const global = rng.chance(0.3)
          const created = daysBefore(anchor, rng.next() * world.profile.historyDays)
          yield {
            id: rng.uuid(),
            tenant_id: t.id,
            learning_type: type,
            pattern,
            confidence: rng.float(0.55, 0.95),
            supporting_data: [{ dataPoint: `${rng.int(40, 400)} conversations in the last 30 days`, relevance: rng.float(0.6, 0.98) }],
            application,
            contributors: pgArray([t.id]),
            anonymized: global,
            validation_status: rng.pick(['pending', 'validated', 'rejected']),
            context_scope: global ? 'global' : 'local',
            consent_flag: global,
            created_at: created,
            updated_at: created
          }
        }
      }
    },
    {
      table: 'global_context',
      planned: 3,
      *rows() {
        const rng = new Rng(seed, 'global-context')
        const entries: [string, object, boolean][] = [
          ['faq.opening_hours.phrasings', { es: ['¿a qué hora abrís?', '¿horario?'], en: ['what time do you open?', 'opening hours?'] }, true],
          ['handoff.best_practice', { belowConfidence: 0.5, maxBotTurnsBeforeHandoff: 4 }, true],
          // Anything global needs consent and anonymization: the database refuses any other row.
          ['sentiment.escalation_keywords', { es: ['vergüenza', 'denuncia', 'reclamación'], en: ['ridiculous', 'complaint', 'refund'] }, true]
        ]
        for (const [key, value, anonymized] of entries) {
          const created = daysBefore(anchor, rng.int(5, 80))
          yield {
            id: rng.uuid(),
            context_key: key,
            context_value: value,
            source_tenant_id: anonymized ? null : tenants[0]?.id ?? null,
            anonymized,
            context_scope: 'global',
            consent_flag: anonymized,
            created_at: created,
            updated_at: created
          }
        }
      }
    }
  ]
}
