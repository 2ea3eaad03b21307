import type { PoolClient } from 'pg'

/**
 * The only ways to a database client. Both open a transaction and commit it when `fn` resolves
 * (roll back when it throws). withTenant sets app.current_tenant_id transaction-locally, so a
 * pooled connection never carries one tenant into the next request.
 */
export interface Database {
  withTenant<T>(tenantId: string, fn: (client: PoolClient) => Promise<T>): Promise<T>
  withPlatform<T>(fn: (client: PoolClient) => Promise<T>): Promise<T>
  close(): Promise<void>
}

export interface ConnectionConfig {
  host: string
  port: number
  database: string
  user: string
  password?: string
  sslMode: 'disable' | 'prefer' | 'require' | 'verify-full'
}
