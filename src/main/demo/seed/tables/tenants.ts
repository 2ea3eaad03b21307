import { contactEmail } from '../pools/people'
import { demoOperatorName } from '../operators'
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

const base64url = (rng: Rng, bytes: number): string => Buffer.from(rng.base64(bytes), 'base64').toString('base64url')

function fakePublicKey(rng: Rng): string {
  const body = rng.base64(270).replace(/(.{64})/g, '$1\n').trimEnd()
  return `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`
}

/** The kinds of a tenant's three demo credentials, in order (production API, webhook, staging). */
const CREDENTIAL_KIND = ['client_secret', 'webhook_secret', 'client_secret'] as const
const DEMO_RUNTIME_KEY = 'demo-runtime-2026'

export function tenantLoads(world: World): TableLoad[] {
  const credentialRows: { id: string; tenant_id: string; kind: string; created_at: Date; expires_at: Date; rotated_at: Date | null; revoked_at: Date | null
    revoked_by: string | null; revoke_reason: string | null; updated_at: Date }[] = []
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
            // Every fifth tenant's webhook secret was rolled two days ago with a 7-day grace: the old one is still valid.
            const inGrace = c === 1 && t.index % 5 === 0
            // Half of the staging keys past their expiry were revoked; the other half are still active (overdue).
            const revoked = c === 2 && t.index % 8 === 0
            const row = {
              id: t.credentialIds[c]!,
              tenant_id: t.id,
              label: labels[c],
              client_id: `avia_${c === 2 ? 'test' : 'live'}_${rng.hex(12)}`,
              kind: CREDENTIAL_KIND[c]!,
              client_secret_encrypted: fakeCiphertext(rng, 48),
              hmac_secret_encrypted: fakeCiphertext(rng, 32),
              jwt_public_key: c === 0 ? fakePublicKey(rng) : null,
              jwt_private_key_encrypted: c === 0 ? fakeCiphertext(rng, 96) : null,
              active: !revoked,
              expires_at: addMs(anchor, expiresInDays * DAY_MS + rng.int(0, DAY_MS - 1)),
              rotated_at: inGrace ? daysBefore(anchor, 2) : rotated,
              revoked_at: revoked ? daysBefore(anchor, 1) : null,
              revoked_by: revoked ? demoOperatorName(world.rolePrefix, 'admin') : null,
              revoke_reason: revoked ? 'Staging environment shut down' : null,
              created_at: created,
              updated_at: revoked ? daysBefore(anchor, 1) : inGrace ? daysBefore(anchor, 2) : rotated ?? created
            }
            credentialRows.push(row)
            yield row
          }
        }
      }
    },
    {
      // The public half of a key derived from a fixed demo seed; no demo runtime holds its private half.
      table: 'runtime_keys',
      planned: 1,
      *rows() {
        yield { key_id: DEMO_RUNTIME_KEY, algorithm: 'HPKE-X25519-SHA256-A256GCM', public_key: 'X9R2M7XkP8p7rRv75CT-rLF12dTUow8Wbb0wY28LRGs', status: 'active',
          created_at: daysBefore(anchor, 400), updated_at: daysBefore(anchor, 400) }
      }
    },
    {
      // Versions as rolls leave them: the first, then for a rotated credential the one it rolled to.
      // Material is shaped like the real thing and verifies nothing: a verifier of no secret, a
      // sealed form of random bytes.
      table: 'credential_versions',
      planned: tenants.length * 4,
      *rows() {
        for (const row of credentialRows) {
          const rng = new Rng(seed, 'credential-versions', row.id)
          const material = () =>
            row.kind === 'client_secret'
              ? { secret_prefix: `avia_sk_${rng.hex(2)}`, secret_verifier: `sha256:${rng.hex(32)}`, fingerprint: rng.hex(8), sealed_secret: null, sealed_to_key: null }
              : { secret_prefix: null, secret_verifier: null, fingerprint: rng.hex(8), sealed_secret: `${base64url(rng, 32)}.${base64url(rng, 59)}`, sealed_to_key: DEMO_RUNTIME_KEY }
          const lastUsed = row.revoked_at ? null : addMs(anchor, -rng.int(1, 72 * 60) * 60_000)
          // Every row has every column (the loader copies them by the first row's names).
          const base = { tenant_id: row.tenant_id, credential_id: row.id, created_by: demoOperatorName(world.rolePrefix, 'admin'), retiring_at: null, grace_ends_at: null,
            revoked_at: null, revoked_by: null, revoke_reason: null }
          if (!row.rotated_at) {
            yield { ...base, ...material(), id: rng.uuid(), version: 1, state: row.revoked_at ? 'revoked' : 'active', created_at: row.created_at, activated_at: row.created_at,
              expires_at: row.expires_at, revoked_at: row.revoked_at, revoked_by: row.revoked_by, revoke_reason: row.revoke_reason, last_used_at: lastUsed,
              updated_at: row.updated_at }
            continue
          }
          const graceDays = row.kind === 'webhook_secret' ? 7 : 1
          const graceEnds = addMs(row.rotated_at, graceDays * DAY_MS)
          // During a grace period, whether the old version is still used: most are, some stopped at once.
          const oldLastUsed = graceEnds > anchor && rng.chance(0.3) ? addMs(row.rotated_at, -rng.int(1, 120) * 60_000) : addMs(graceEnds > anchor ? anchor : graceEnds, -rng.int(5, 600) * 60_000)
          yield { ...base, ...material(), id: rng.uuid(), version: 1, state: 'retiring', created_at: row.created_at, activated_at: row.created_at,
            expires_at: addMs(row.created_at, 90 * DAY_MS), retiring_at: row.rotated_at, grace_ends_at: graceEnds, last_used_at: oldLastUsed, updated_at: row.rotated_at }
          yield { ...base, ...material(), id: rng.uuid(), version: 2, state: 'active', created_at: row.rotated_at, activated_at: row.rotated_at,
            expires_at: row.expires_at, last_used_at: lastUsed, updated_at: row.rotated_at }
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
