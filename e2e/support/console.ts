import { expect, type Page } from '@playwright/test'
import { launchToken } from './console-server'

export function consoleUrl(): string {
  const url = process.env.CONSOLE_URL
  if (!url) throw new Error('CONSOLE_URL is not set: the e2e global setup starts the console and sets it.')
  return url
}

/** Calls a procedure the way the renderer does (same origin, bearer token), for test set-up only. */
export async function rpc(page: Page, name: string, input: unknown): Promise<unknown> {
  const response = await page.request.post(`${new URL(consoleUrl()).origin}/rpc/${name}`, { data: input, headers: { authorization: `Bearer ${launchToken(consoleUrl())}` } })
  const body = (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } }
  expect(body.ok, `${name}: ${body.error?.code} ${body.error?.message}`).toBe(true)
  return body.value
}

/** Opens the console and waits until the database is online. */
export async function openConsole(page: Page): Promise<void> {
  await page.goto(consoleUrl())
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'online', { timeout: 240_000 })
}
