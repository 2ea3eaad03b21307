import { randomBytes } from 'node:crypto'
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test'
import pg from 'pg'
import { migrate } from '../../src/main/db/migrate'
import { seedDatabase } from '../../src/main/demo/seed'
import type { ConsoleServer } from './console-server'

/** The machine's local server (trust auth): specs that need a database of their own make it there. */
const LOCAL_PG = { host: '127.0.0.1', port: 5432, user: 'postgres' }

/**
 * A demo-seeded database and role set of one spec's own, named by a random per-run prefix (roles
 * are cluster-wide), so specs never share state with each other or with the console's demo database.
 */
export interface SeededDatabase {
  prefix: string
  database: string
  /** The connection URL of one of its login roles, e.g. `${prefix}_javier_admin`. */
  url(user: string): string
  /** Runs `fn` on a fresh connection to `database` (default: this one) as `user` (default: postgres). */
  query<T>(fn: (client: pg.Client) => Promise<T>, options?: { database?: string; user?: string }): Promise<T>
  create(): Promise<void>
  /** Drops the database and every role of its prefix. */
  drop(): Promise<void>
}

export function seededDatabase(tag: string, area: string): SeededDatabase {
  const prefix = `e2e${tag}${randomBytes(3).toString('hex')}`
  const database = `${prefix}_${area}`
  const query = async <T>(fn: (client: pg.Client) => Promise<T>, options: { database?: string; user?: string } = {}): Promise<T> => {
    const client = new pg.Client({ ...LOCAL_PG, user: options.user ?? LOCAL_PG.user, database: options.database ?? database })
    await client.connect()
    try {
      return await fn(client)
    } finally {
      await client.end()
    }
  }
  return {
    prefix,
    database,
    url: (user) => `postgres://${user}@${LOCAL_PG.host}:${LOCAL_PG.port}/${database}?sslmode=disable`,
    query,
    async create() {
      await query((c) => c.query(`create database ${database}`), { database: 'postgres' })
      const config = { ...LOCAL_PG, database, sslMode: 'disable' as const }
      await migrate(config, { rolePrefix: prefix })
      await seedDatabase(config, { scale: 'demo', operatorPassword: randomBytes(12).toString('hex') })
    },
    async drop() {
      await query(async (c) => {
        await c.query(`drop database if exists ${database} with (force)`)
        const roles = await c.query<{ rolname: string }>(`select rolname from pg_roles where rolname like $1`, [`${prefix}\\_%`])
        for (const { rolname } of roles.rows) await c.query(`drop role if exists "${rolname}"`)
      }, { database: 'postgres' })
    }
  }
}

/** One browser context per console, so each page is one operator's session; waits until it is online. */
export async function openConsolePage(browser: Browser, server: ConsoleServer): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(server.url)
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'online', { timeout: 120_000 })
  return { context, page }
}

/** Calls a procedure of `server` directly, as its operator, and returns the raw reply. */
export async function callProcedure(page: Page, server: ConsoleServer, name: string, input: unknown) {
  const response = await page.request.post(`${server.origin}/rpc/${name}`, { data: input, headers: { authorization: `Bearer ${server.token}` } })
  // The reply's value is whatever the procedure returns; each spec reads the fields it checks.
  return (await response.json()) as { ok: boolean; value?: any; error?: { code: string } }
}
