// npm run operator -- add NAME --role support [--role admin] [--tenant UUID|all]
// The password is read from stdin (first line), sent to the server only as a SCRAM verifier.
import { parseArgs } from 'node:util'
import pg from 'pg'
import { parseDatabaseUrl, toClientConfig } from '../src/main/db/connection'
import { assignTenant, createOperator, OPERATOR_GROUPS, type OperatorGroup } from '../src/main/db/operators'
import { RpcError } from '../src/shared/rpc/errors'

const usage = 'usage: npm run operator -- add NAME --role support|moderator|finance|admin [--role …] [--tenant UUID|all …] < password'

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (input is not hidden; prefer piping it): ')
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { role: { type: 'string', multiple: true }, tenant: { type: 'string', multiple: true } }
  })
  const [command, name] = positionals
  const roles = values.role ?? []
  if (command !== 'add' || !name || roles.length === 0) throw new RpcError('BAD_INPUT', usage)
  const unknown = roles.filter((r) => !(OPERATOR_GROUPS as readonly string[]).includes(r))
  if (unknown.length) throw new RpcError('BAD_INPUT', `Unknown role ${unknown.join(', ')}. ${usage}`)
  const url = process.env.DATABASE_URL
  if (!url) throw new RpcError('BAD_INPUT', 'Set DATABASE_URL to an account allowed to create roles.')

  const password = await readPassword()
  const client = new pg.Client(toClientConfig(parseDatabaseUrl(url)))
  await client.connect()
  try {
    await client.query('begin')
    await createOperator(client, { name, groups: roles as OperatorGroup[], password })
    for (const tenant of values.tenant ?? []) await assignTenant(client, name, tenant === 'all' ? null : tenant)
    await client.query('commit')
    console.log(`Operator ${name} created in ${roles.join(', ')}.`)
  } catch (error) {
    await client.query('rollback').catch(() => undefined)
    throw error
  } finally {
    await client.end()
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof RpcError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : error)
  process.exit(1)
})
