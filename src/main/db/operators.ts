import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'
import type { ClientBase } from 'pg'
import { OPERATOR_GROUPS, type OperatorGroup } from '../../shared/capabilities'
import { OPERATOR_NAME_PATTERN, type AssignedTenant, type OperatorSummary } from '../../shared/rpc/areas/operators'
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

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Assigns an operator to a tenant; `null` assigns all tenants (effective for admins only). A bad or unknown tenant is said in a sentence. */
export async function assignTenant(adminClient: ClientBase, operator: string, tenantId: string | null): Promise<void> {
  checkName(operator)
  if (tenantId !== null) {
    if (!UUID_PATTERN.test(tenantId)) {
      throw new RpcError('BAD_INPUT', `"${tenantId}" is not a tenant id: give the tenant's UUID, or all.`, { issues: [{ path: 'tenant', message: 'not a uuid' }] })
    }
    const { rowCount } = await adminClient.query('select 1 from public.tenants where id = $1', [tenantId])
    if (!rowCount) throw new RpcError('NOT_FOUND', `No tenant has the id ${tenantId} in this database.`)
  }
  await adminClient.query('insert into public.operator_tenants (operator, tenant_id) values ($1, $2) on conflict do nothing', [operator, tenantId])
}

export async function unassignTenant(adminClient: ClientBase, operator: string, tenantId: string | null): Promise<void> {
  checkName(operator)
  await adminClient.query('delete from public.operator_tenants where operator = $1 and tenant_id is not distinct from $2', [operator, tenantId])
}

/** One operator as the admin's screen and `npm run operator -- list` show it (read with the caller's own rights). */
export async function readOperators(client: ClientBase): Promise<OperatorSummary[]> {
  const { rows } = await client.query<{ operator: string; groups: OperatorGroup[]; all_tenants: boolean; tenants: AssignedTenant[]; grants_in_force: string }>(
    `select o.operator::text, o.groups,
            exists (select 1 from public.operator_tenants a where a.operator = o.operator and a.tenant_id is null) as all_tenants,
            coalesce((select json_agg(json_build_object('id', t.id, 'slug', t.slug, 'name', t.name) order by lower(t.name), t.id)
                        from public.operator_tenants a join public.tenants t on t.id = a.tenant_id
                       where a.operator = o.operator), '[]') as tenants,
            (select count(*) from public.break_glass_grants g
              where g.operator = o.operator and g.expires_at > statement_timestamp()) as grants_in_force
       from app.operators() o
      order by o.operator`
  )
  return rows.map((row) => ({ name: row.operator, groups: row.groups, allTenants: row.all_tenants, tenants: row.tenants, grantsInForce: Number(row.grants_in_force) }))
}

/**
 * Removes an operator: its grants in force end (the reason says why), its assignments go (both
 * audited), then its role is dropped. Anything but an operator of this database is refused.
 * Returns the role's oid, so that the caller can end its sessions once this commits.
 */
export async function removeOperator(adminClient: ClientBase, operator: string): Promise<{ oid: number; assignments: number; grantsEnded: number }> {
  checkName(operator)
  const known = await adminClient.query<{ oid: number }>('select r.oid::int as oid from app.operators() o join pg_roles r on r.rolname = o.operator where o.operator = $1', [operator])
  if (!known.rows[0]) throw new RpcError('NOT_FOUND', `There is no operator named ${operator} in this database.`)
  const grants = await adminClient.query(
    `update public.break_glass_grants set expires_at = statement_timestamp(), ended_by = current_user, end_reason = 'The operator was removed (npm run operator -- remove).'
      where operator = $1 and expires_at > statement_timestamp()`,
    [operator]
  )
  const assignments = await adminClient.query('delete from public.operator_tenants where operator = $1', [operator])
  try {
    await adminClient.query(`drop role "${operator}"`)
  } catch (error) {
    if ((error as { code?: string }).code === '2BP01') {
      throw new RpcError('CONFLICT', `${operator} still owns objects or holds privileges of its own: run REASSIGN OWNED BY and DROP OWNED BY for it in each database first.`)
    }
    throw error
  }
  return { oid: known.rows[0].oid, assignments: assignments.rowCount ?? 0, grantsEnded: grants.rowCount ?? 0 }
}
