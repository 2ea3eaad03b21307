// npm run operator -- add NAME --role support [--role admin] [--tenant UUID|all] < password
// npm run operator -- list
// npm run operator -- remove NAME
// The password is read from stdin (first line), sent to the server only as a SCRAM verifier.
// Every refusal is one sentence on stderr (exit status 1), never a raw PostgreSQL error.
import { parseArgs } from 'node:util'
import pg from 'pg'
import { parseDatabaseUrl, toClientConfig } from '../src/main/db/connection'
import { toRpcError } from '../src/main/db/errors'
import { assignTenant, createOperator, OPERATOR_GROUPS, readOperators, removeOperator, type OperatorGroup } from '../src/main/db/operators'
import { RpcError } from '../src/shared/rpc/errors'

const usage = [
  'usage: npm run operator -- add NAME --role support|moderator|finance|admin [--role …] [--tenant UUID|all …] < password',
  '       npm run operator -- list',
  '       npm run operator -- remove NAME'
].join('\n')

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (input is not hidden; prefer piping it): ')
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
}

const groupList = `${OPERATOR_GROUPS.slice(0, -1).join(', ')} and ${OPERATOR_GROUPS.at(-1)}`

function checkAdd(name: string | undefined, roles: string[], tenants: string[]): asserts name is string {
  if (!name || roles.length === 0) throw new RpcError('BAD_INPUT', `add needs a name and at least one --role.\n${usage}`)
  const unknown = roles.filter((r) => !(OPERATOR_GROUPS as readonly string[]).includes(r))
  if (unknown.length) throw new RpcError('BAD_INPUT', `Unknown group ${unknown.map((g) => `"${g}"`).join(', ')}: an operator's groups are ${groupList}.`)
  if (tenants.includes('all') && !roles.includes('admin')) throw new RpcError('BAD_INPUT', 'Only an operator in the admin group can be assigned all tenants (--tenant all).')
}

/** One transaction on DATABASE_URL; rolled back when `work` throws. */
async function inTransaction<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL
  if (!url) throw new RpcError('BAD_INPUT', 'Set DATABASE_URL to an account allowed to create roles.')
  const client = new pg.Client(toClientConfig(parseDatabaseUrl(url)))
  await client.connect()
  try {
    await client.query('begin')
    const result = await work(client)
    await client.query('commit')
    return result
  } catch (error) {
    await client.query('rollback').catch(() => undefined)
    throw error
  } finally {
    await client.end()
  }
}

async function add(name: string | undefined, roles: string[], tenants: string[]): Promise<void> {
  checkAdd(name, roles, tenants)
  const password = await readPassword()
  await inTransaction(async (client) => {
    await createOperator(client, { name, groups: roles as OperatorGroup[], password })
    for (const tenant of tenants) await assignTenant(client, name, tenant === 'all' ? null : tenant)
  })
  console.log(`Operator ${name} created in ${roles.join(', ')}.`)
}

async function list(): Promise<void> {
  const operators = await inTransaction(readOperators)
  if (operators.length === 0) console.log('No operators yet.')
  for (const o of operators) {
    const tenants = o.allTenants ? 'all tenants' : o.tenants.length ? o.tenants.map((t) => t.slug).join(', ') : 'no tenants'
    const grants = o.grantsInForce ? `; break-glass in force: ${o.grantsInForce}` : ''
    console.log(`${o.name}\t${o.groups.join(', ')}\t${tenants}${grants}`)
  }
}

async function remove(name: string | undefined): Promise<void> {
  if (!name) throw new RpcError('BAD_INPUT', `remove needs the operator's name.\n${usage}`)
  const removed = await inTransaction((client) => removeOperator(client, name))
  // Once the role is gone, its open sessions end too (it could go on working until they did).
  await inTransaction((client) => client.query('select pg_terminate_backend(pid) from pg_stat_activity where usesysid = $1', [removed.oid]))
  console.log(`Operator ${name} removed. Tenant assignments removed: ${removed.assignments}; break-glass grants ended: ${removed.grantsEnded}.`)
}

/** A refusal as one sentence: ours as written, the server's through the console's own mapping. */
function sentence(error: unknown): string {
  if (error instanceof RpcError) return error.message
  const code = (error as { code?: unknown }).code
  if (code === '42501') return 'The account in DATABASE_URL may not do this: use a superuser or a role with CREATEROLE that owns the schema.'
  if (code === '3D000') return 'The database in DATABASE_URL does not exist.'
  if (code === '42P01' || code === '42883' || code === '3F000') return 'The database has no console schema: run npm run migrate first.'
  return toRpcError(error).message
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { role: { type: 'string', multiple: true }, tenant: { type: 'string', multiple: true } }
  })
  const [command, name] = positionals
  if (command === 'add') return add(name, values.role ?? [], values.tenant ?? [])
  if (command === 'list') return list()
  if (command === 'remove') return remove(name)
  throw new RpcError('BAD_INPUT', usage)
}

main().catch((error: unknown) => {
  console.error(sentence(error))
  process.exit(1)
})
