import { contactEmail } from '../pools/people'
import { Rng } from '../prng'
import { addMs, DAY_MS, daysBefore } from '../time'
import { priceBookEntry } from '../prices'
import type { PlanId, TenantSeed, World } from '../world'
import type { TableLoad } from './types'

const LIMITS: Record<PlanId, { agent: number; rpm: number; rph: number; storage: number }> = {
  starter: { agent: 200, rpm: 60, rph: 3000, storage: 500 },
  professional: { agent: 800, rpm: 120, rph: 6000, storage: 2000 },
  business: { agent: 2500, rpm: 300, rph: 15000, storage: 10000 },
  enterprise: { agent: 8000, rpm: 1000, rph: 50000, storage: 50000 }
}

const TIMEZONE_BY_COUNTRY: Record<string, string> = {
  ES: 'Europe/Madrid', MX: 'America/Mexico_City', AR: 'America/Argentina/Buenos_Aires', CO: 'America/Bogota', CL: 'America/Santiago',
  PE: 'America/Lima', UY: 'America/Montevideo', US: 'America/New_York', GB: 'Europe/London', CA: 'America/Toronto', IE: 'Europe/Dublin', AU: 'Australia/Sydney'
}
const CURRENCY_BY_COUNTRY: Record<string, string> = {
  ES: 'EUR', MX: 'MXN', AR: 'ARS', CO: 'COP', CL: 'CLP', PE: 'PEN', UY: 'UYU', US: 'USD', GB: 'GBP', CA: 'CAD', IE: 'EUR', AU: 'AUD'
}

export function timezoneOf(t: TenantSeed): string {
  return TIMEZONE_BY_COUNTRY[t.company.country] ?? 'UTC'
}

/** Looks like an envelope-encrypted value (version, key id, base64 body) and decrypts to nothing: never a real secret. */
export function fakeCiphertext(rng: Rng, bytes: number): string {
  return `enc:v1:demo-key:${rng.base64(bytes)}`
}

function fakePublicKey(rng: Rng): string {
  const body = rng.base64(270).replace(/(.{64})/g, '$1\n').trimEnd()
  return `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`
}

export function tenantLoads(world: World): TableLoad[] {
  const { tenants, anchor, seed } = world
  return [
    {
      table: 'tenants',
      planned: tenants.length,
      *rows() {
        for (const t of tenants) {
          const rng = new Rng(seed, 'tenant-row', t.index)
          yield {
            id: t.id,
            slug: t.slug,
            name: t.company.name,
            contact_email: contactEmail(rng, t.company.language, t.company.domain),
            website_url: `https://www.${t.company.domain}`,
            business_industry: t.company.industry,
            plan_type: t.plan,
            status: t.status,
            status_reason: t.statusReason,
            status_changed_at: t.statusChangedAt,
            settings: {
              language: t.company.language,
              timezone: timezoneOf(t),
              currency: CURRENCY_BY_COUNTRY[t.company.country] ?? 'USD',
              country: t.company.country,
              size: t.company.size,
              channels: rng.sample(['web', 'whatsapp', 'instagram', 'email'], rng.int(1, 3)),
              handoffToHumanBelowConfidence: 0.5
            },
            created_at: t.createdAt,
            updated_at: t.statusChangedAt ?? t.createdAt
          }
        }
      }
    },
    {
      table: 'tenant_domains',
      planned: tenants.length * 2,
      *rows() {
        for (const t of tenants) {
          const rng = new Rng(seed, 'domains', t.index)
          const sub = t.company.language === 'es' ? 'chat' : 'help'
          const hosts = [t.company.domain, `${sub}.${t.company.domain}`]
          for (let d = 0; d < 2; d++) {
            // The primary domain is verified for most tenants; the chat subdomain often still waits for its TXT record.
            const verified = d === 0 ? t.index % 7 !== 3 : rng.chance(0.4)
            const created = addMs(t.createdAt, (d + 1) * rng.int(1, 5) * DAY_MS)
            yield {
              id: t.domainIds[d],
              tenant_id: t.id,
              domain: hosts[d],
              verified,
              verification_token: rng.hex(32),
              verified_at: verified ? addMs(created, rng.int(600_000, 2 * DAY_MS)) : null,
              created_at: created,
              updated_at: created
            }
          }
        }
      }
    },
    {
      table: 'tenant_limits',
      planned: tenants.length,
      *rows() {
        for (const t of tenants) {
          const base = LIMITS[t.plan]
          // Daily agent allowances: a few tenants negotiated more than their plan's default, and
          // every tenth runs close to (or past) a tight one, so the directory shows usage warnings.
          const bump = t.index % 5 === 1 ? 1.5 : t.index % 10 === 7 ? 0.2 : 1
          yield {
            id: t.limitId,
            tenant_id: t.id,
            agent_usage_limit: Math.round(base.agent * bump),
            requests_per_minute: base.rpm,
            requests_per_hour: base.rph,
            storage_limit_mb: base.storage,
            active: true,
            created_at: t.createdAt,
            updated_at: t.createdAt
          }
        }
      }
    },
    {
      table: 'tenant_credentials',
      planned: tenants.length * 3,
      *rows() {
        for (const t of tenants) {
          const rng = new Rng(seed, 'credentials', t.index)
          const labels = ['Producción / Production API', 'Webhook n8n', 'Staging']
          for (let c = 0; c < 3; c++) {
            const created = addMs(t.createdAt, rng.int(1, 60) * DAY_MS)
            // Expiry mix: the credentials screen must show expired, expiring within 14 days and healthy keys.
            const expiresInDays = c === 0 ? (t.index % 3 === 0 ? rng.int(1, 13) : rng.int(30, 365)) : c === 1 ? rng.int(15, 400) : t.index % 4 === 0 ? -rng.int(1, 30) : rng.int(60, 200)
            const rotated = c === 0 && t.index % 2 === 0 ? daysBefore(anchor, rng.int(10, 80)) : null
            yield {
              id: t.credentialIds[c],
              tenant_id: t.id,
              label: labels[c],
              client_id: `avia_${c === 2 ? 'test' : 'live'}_${rng.hex(12)}`,
              client_secret_encrypted: fakeCiphertext(rng, 48),
              hmac_secret_encrypted: fakeCiphertext(rng, 32),
              jwt_public_key: c === 0 ? fakePublicKey(rng) : null,
              jwt_private_key_encrypted: c === 0 ? fakeCiphertext(rng, 96) : null,
              active: c !== 2 || t.index % 4 !== 0,
              expires_at: addMs(anchor, expiresInDays * DAY_MS + rng.int(0, DAY_MS - 1)),
              rotated_at: rotated,
              created_at: created,
              updated_at: rotated ?? created
            }
          }
        }
      }
    },
    {
      table: 'users',
      planned: tenants.reduce((n, t) => n + t.users.length, 0),
      *rows() {
        for (const t of tenants) {
          const rng = new Rng(seed, 'user-rows', t.index)
          for (const u of t.users) {
            yield {
              id: u.id,
              tenant_id: t.id,
              email: u.email,
              full_name: u.fullName,
              role: u.role,
              preferences: { language: t.company.language, timezone: timezoneOf(t), notifications: { email: true, whatsapp: rng.chance(0.4) }, theme: rng.pick(['system', 'light', 'dark']) },
              last_login_at: t.status === 'closed' ? null : daysBefore(anchor, rng.next() * 20),
              created_at: u.createdAt,
              updated_at: u.createdAt
            }
          }
        }
      }
    },
    {
      table: 'user_roles',
      planned: tenants.reduce((n, t) => n + t.users.length, 0),
      *rows() {
        const permissions: Record<string, string[]> = {
          owner: ['billing:manage', 'workflows:*', 'agents:*', 'users:*'],
          admin: ['workflows:*', 'agents:*', 'users:read'],
          agent: ['conversations:reply', 'conversations:read'],
          user: ['conversations:read']
        }
        for (const t of tenants) {
          const rng = new Rng(seed, 'user-roles', t.index)
          const owner = t.users[0]!
          for (const u of t.users) {
            yield {
              id: rng.uuid(),
              tenant_id: t.id,
              user_id: u.id,
              role: u.role,
              permissions: permissions[u.role],
              granted_by_user_id: u.id === owner.id ? null : owner.id,
              granted_at: u.createdAt,
              created_at: u.createdAt,
              updated_at: u.createdAt
            }
          }
        }
      }
    },
    {
      table: 'subscriptions',
      planned: tenants.length,
      *rows() {
        for (const t of tenants) {
          const rng = new Rng(seed, 'subscription', t.index)
          const status = t.status === 'closed' ? 'canceled' : t.status === 'suspended' ? 'past_due' : t.index % 11 === 5 ? 'trialing' : 'active'
          const day = t.createdAt.getUTCDate()
          const periodStart = new Date(Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth() - (anchor.getUTCDate() < day ? 1 : 0), Math.min(day, 28)))
          const periodEnd = new Date(Date.UTC(periodStart.getUTCFullYear(), periodStart.getUTCMonth() + 1, periodStart.getUTCDate()))
          yield {
            id: t.subscriptionId,
            tenant_id: t.id,
            stripe_subscription_id: `sub_${rng.hex(12)}`,
            stripe_customer_id: `cus_${rng.hex(7)}`,
            plan_id: `${t.plan}_monthly`,
            price_book_id: priceBookEntry(world.priceBook, t.plan, t.currency).id,
            status,
            current_period_start: periodStart,
            current_period_end: periodEnd,
            trial_end: status === 'trialing' ? addMs(anchor, rng.int(2, 12) * DAY_MS) : null,
            metadata: { seats: t.users.length, billing_email: `billing@${t.company.domain}`, source: rng.pick(['self_serve', 'sales']) },
            created_at: t.createdAt,
            updated_at: periodStart
          }
        }
      }
    }
  ]
}
