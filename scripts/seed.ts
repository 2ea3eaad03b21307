// npm run seed -- --scale demo|bench [--seed N] [--anchor YYYY-MM-DD] [--operator-password-stdin]
// Loads deterministic demo or benchmark data into DATABASE_URL (a superuser connection to a
// freshly migrated, empty database), with a progress bar on stderr. With
// --operator-password-stdin the demo operators are created with the password read from stdin.
import { parseArgs } from 'node:util'
import { parseDatabaseUrl } from '../src/main/db/connection'
import { seedDatabase } from '../src/main/demo/seed'
import { createProgressBar } from '../src/main/demo/seed/progress'
import { RpcError } from '../src/shared/rpc/errors'

const usage = 'usage: npm run seed -- --scale demo|bench [--seed N] [--anchor YYYY-MM-DD] [--operator-password-stdin < password]'

async function readFirstLine(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      seed: { type: 'string', default: '42' },
      anchor: { type: 'string' },
      'operator-password-stdin': { type: 'boolean', default: false }
    }
  })
  if (values.scale !== 'demo' && values.scale !== 'bench') throw new RpcError('BAD_INPUT', usage)
  if (!/^\d+$/.test(values.seed)) throw new RpcError('BAD_INPUT', `--seed must be a non-negative integer. ${usage}`)
  const anchor = values.anchor === undefined ? undefined : new Date(`${values.anchor}T00:00:00Z`)
  if (anchor && Number.isNaN(anchor.getTime())) throw new RpcError('BAD_INPUT', `--anchor must be a date like 2025-06-30. ${usage}`)
  const url = process.env.DATABASE_URL
  if (!url) throw new RpcError('BAD_INPUT', 'Set DATABASE_URL to a superuser connection, e.g. postgres://postgres@127.0.0.1:5432/avia')
  const operatorPassword = values['operator-password-stdin'] ? await readFirstLine() : undefined

  const bar = createProgressBar(process.stderr)
  const result = await seedDatabase(parseDatabaseUrl(url), {
    scale: values.scale,
    seed: Number(values.seed),
    ...(anchor ? { anchor } : {}),
    ...(operatorPassword !== undefined ? { operatorPassword } : {}),
    onProgress: bar.update
  })
  const total = Object.values(result.rows).reduce((a, b) => a + b, 0)
  bar.finish(`loaded ${total.toLocaleString('en-US')} rows (${result.scale}, seed ${result.seed})`)
  for (const [table, count] of Object.entries(result.rows)) console.log(`${table.padEnd(22)} ${count.toLocaleString('en-US').padStart(12)}`)
  if (result.operators.length) console.log(`operators: ${result.operators.join(', ')}`)
}

main().catch((error: unknown) => {
  process.stderr.write('\n')
  console.error(error instanceof RpcError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : error)
  process.exit(1)
})
