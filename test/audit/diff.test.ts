import { describe, expect, it } from 'vitest'
import { diffValues } from '../../src/renderer/src/areas/AuditLog/diff'

describe('audit diff', () => {
  it('aligns old and new values by field path, marking what changed', () => {
    const lines = diffValues(
      { plan: 'starter', limits: { rpm: 60, storage: 100 }, client_secret_encrypted: { redacted: true, fingerprint: 'aaaaaaaaaaaa' }, gone: 1 },
      { plan: 'growth', limits: { rpm: 60, storage: 200 }, client_secret_encrypted: { redacted: true, fingerprint: 'bbbbbbbbbbbb' }, added: [1, 2] }
    )
    expect(lines.map((l) => [l.path, l.change])).toEqual([
      ['plan', 'changed'],
      ['limits.rpm', 'same'],
      ['limits.storage', 'changed'],
      ['client_secret_encrypted', 'changed'],
      ['gone', 'removed'],
      ['added.0', 'added'],
      ['added.1', 'added']
    ])
    // A redaction marker stays whole: the fingerprint, never a made-up value.
    expect(lines[3]).toMatchObject({ before: { redacted: true, fingerprint: 'aaaaaaaaaaaa' }, after: { redacted: true, fingerprint: 'bbbbbbbbbbbb' } })
  })

  it('handles an insert (no old values) and a delete (no new values)', () => {
    expect(diffValues(null, { a: 1 })).toEqual([{ path: 'a', before: undefined, after: 1, change: 'added' }])
    expect(diffValues({ a: 1 }, null)).toEqual([{ path: 'a', before: 1, after: undefined, change: 'removed' }])
    expect(diffValues(null, null)).toEqual([])
  })
})
