import { describe, expect, it } from 'vitest'
import { emptyDraft, toSaveInput, validateDraft } from '../../src/renderer/src/areas/Settings/connectionDraft'

const good = { ...emptyDraft, name: 'Production (EU)', host: 'db.eu.example.net', port: '5432', database: 'avia', user: 'maria_support', sslMode: 'verify-full' as const, password: 's3cret' }

describe('connection form validation (the main process schema, applied in the form)', () => {
  it('accepts a complete draft and turns the port into a number', () => {
    const { input, problems } = validateDraft(good, 'en')
    expect(problems).toEqual({})
    expect(input).toMatchObject({ name: 'Production (EU)', host: 'db.eu.example.net', port: 5432, sslMode: 'verify-full', password: 's3cret' })
  })

  it('names each missing field as required', () => {
    const { problems } = validateDraft({ ...good, name: '  ', user: '', database: '' }, 'en')
    expect(problems).toEqual({ name: 'required', user: 'required', database: 'required' })
  })

  it('refuses a host that smuggles credentials or a path', () => {
    expect(validateDraft({ ...good, host: 'admin:pw@db.example.net' }, 'en').problems).toEqual({ host: 'invalidHost' })
    expect(validateDraft({ ...good, host: 'db.example.net/avia' }, 'en').problems).toEqual({ host: 'invalidHost' })
  })

  it('refuses ports that are not whole numbers from 1 to 65535', () => {
    for (const port of ['0', '65536', '54.3', 'abc', '-1']) expect(validateDraft({ ...good, port }, 'en').problems, port).toEqual({ port: 'invalidPort' })
    expect(validateDraft({ ...good, port: '' }, 'en').problems).toEqual({ port: 'required' })
  })

  it('omits an empty password so an edit keeps the stored one', () => {
    const input = toSaveInput({ ...good, id: 'b1f7c2', password: '' }, 'en')
    expect(input).not.toHaveProperty('password')
    expect(input).toMatchObject({ id: 'b1f7c2' })
    expect(validateDraft({ ...good, password: '' }, 'en').problems).toEqual({})
  })

  it('reports an over-long name as too long', () => {
    expect(validateDraft({ ...good, name: 'x'.repeat(81) }, 'en').problems).toEqual({ name: 'tooLong' })
  })
})
