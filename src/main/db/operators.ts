import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'
import type { ClientBase } from 'pg'
import { OPERATOR_GROUPS, type OperatorGroup } from '../../shared/capabilities'
import { OPERATOR_NAME_PATTERN } from '../../shared/rpc/areas/operators'
import { RpcError } from '../../shared/rpc/errors'

export { OPERATOR_GROUPS, type OperatorGroup }

const SCRAM_ITERATIONS = 4096

/**
 * A SCRAM-SHA-256 verifier as PostgreSQL stores it (RFC 5802/7677). Sending the verifier
 * instead of the password keeps the plain password out of the statement, the server log and
 * pg_stat_statements.
 */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(16), iterations = SCRAM_ITERATIONS): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256')
  const clientKey = createHmac('sha256', salted).update('Client Key').digest()
  const storedKey = createHash('sha256').update(clientKey).digest()
  const serverKey = createHmac('sha256', salted).update('Server Key').digest()
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`
}

function checkName(name: string): void {
  if (!OPERATOR_NAME_PATTERN.test(name)) {
    throw new RpcError('BAD_INPUT', 'Operator names are 2–63 lowercase letters, digits or underscores, starting with a letter.', {
      issues: [{ path: 'name', message: 'invalid operator name' }]
    })
  }
}

async function rolePrefix(client: ClientBase): Promise<string> {
  const { rows } = await client.query<{ prefix: string }>('select app.role_prefix() as prefix')
  const prefix = rows[0]?.prefix
  if (!prefix) throw new RpcError('INTERNAL', 'The database has no role prefix: run the migrations first.')
  return prefix
}

export interface NewOperator {
  name: string
  groups: OperatorGroup[]
  password: string
}

/**
 * Creates an operator login role in the given groups. `adminClient` must be allowed to create
 * roles (a superuser or CREATEROLE) — the console itself never is.
 */
export async function createOperator(adminClient: ClientBase, operator: NewOperator): Promise<void> {
  checkName(operator.name)
  if (operator.groups.length === 0 || operator.groups.some((g) => !OPERATOR_GROUPS.includes(g))) {
    throw new RpcError('BAD_INPUT', `Groups must be among ${OPERATOR_GROUPS.join(', ')}.`, { issues: [{ path: 'groups', message: 'unknown group' }] })
  }
  if (operator.password.length < 12) {
    throw new RpcError('BAD_INPUT', 'The password must have at least 12 characters.', { issues: [{ path: 'password', message: 'too short' }] })
  }
  const prefix = await rolePrefix(adminClient)
  const exists = await adminClient.query('select 1 from pg_roles where rolname = $1', [operator.name])
  if (exists.rowCount) throw new RpcError('CONFLICT', `A role named ${operator.name} already exists.`)

  const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`
  // Verifier characters are base64, digits, '$' and ':': never a quote.
  const verifier = scramSha256Verifier(operator.password)
  const groups = operator.groups.map((g) => quote(`${prefix}_${g}`)).join(', ')
  await adminClient.query(
    `create role ${quote(operator.name)} login nosuperuser nobypassrls nocreatedb nocreaterole inherit password '${verifier}' in role ${groups}`
  )
}

/** Assigns an operator to a tenant; `null` assigns all tenants (effective for admins only). */
export async function assignTenant(adminClient: ClientBase, operator: string, tenantId: string | null): Promise<void> {
  checkName(operator)
  await adminClient.query('insert into public.operator_tenants (operator, tenant_id) values ($1, $2) on conflict do nothing', [operator, tenantId])
}

export async function unassignTenant(adminClient: ClientBase, operator: string, tenantId: string | null): Promise<void> {
  checkName(operator)
  await adminClient.query('delete from public.operator_tenants where operator = $1 and tenant_id is not distinct from $2', [operator, tenantId])
}
