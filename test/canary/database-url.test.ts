import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { RpcError } from '../../src/shared/rpc/errors'
import { databaseUrlConfig } from '../../src/main/profiles/database-url'

const canary = `Cnry${randomBytes(12).toString('hex')}`

function refused(url: string): RpcError {
  try {
    databaseUrlConfig(url)
  } catch (error) {
    expect(error).toBeInstanceOf(RpcError)
    return error as RpcError
  }
  throw new Error('accepted')
}

describe('DATABASE_URL', () => {
  it('gives the connection settings, the password decoded and in memory only', () => {
    expect(databaseUrlConfig(`postgresql://ana%40ops:${encodeURIComponent(`${canary}/:@`)}@db.example.com:6432/agente?sslmode=verify-full`)).toEqual({
      host: 'db.example.com',
      port: 6432,
      database: 'agente',
      user: 'ana@ops',
      password: `${canary}/:@`,
      sslMode: 'verify-full'
    })
    expect(databaseUrlConfig('postgres://ana@[::1]/agente')).toMatchObject({ host: '::1', port: 5432, sslMode: 'prefer' })
    expect(databaseUrlConfig('postgres://ana@db/agente')).not.toHaveProperty('password')
  })

  it('refuses an sslmode the console would otherwise weaken, naming the allowed ones', () => {
    const error = refused(`postgres://ana:${canary}@db/agente?sslmode=verify-ca`)
    expect(error.code).toBe('INVALID')
    expect(error.message).toMatch(/sslmode must be one of disable, prefer, require, verify-full/)
  })

  it('refuses malformed URLs with a typed error that never quotes the URL or its password', () => {
    for (const url of [`mysql://ana:${canary}@db/agente`, `not a url ${canary}`, `postgres://ana:${canary}@db:99999/agente`, `postgres://ana:${canary}@db/${'x'.repeat(80)}`]) {
      const error = refused(url)
      expect(error.code).toBe('INVALID')
      expect(error.message).toMatch(/^DATABASE_URL is not usable: /)
      expect(error.message).not.toContain(canary)
    }
  })
})
