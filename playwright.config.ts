import { defineConfig } from '@playwright/test'

/** Debian's Chromium: Playwright's own browser download is not reachable from this machine. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']

export default defineConfig({
  testDir: 'e2e',
  // Not test-results/ itself: Playwright empties its output folder, and other reports live there.
  outputDir: 'test-results/e2e-artifacts',
  globalSetup: './e2e/support/global-setup.ts',
  // The first test waits for the embedded database to be created, migrated and seeded.
  timeout: 300_000,
  expect: { timeout: 15_000 },
  // One console server, one browser at a time: the machine has two cores shared with the backend.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    locale: 'en-US',
    colorScheme: 'light',
    viewport: { width: 1360, height: 820 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure'
  }
})
