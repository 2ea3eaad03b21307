import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { RpcError } from '../../src/shared/rpc/errors'

// The notify store reads the language from the preferences store, which looks at the browser's
// colour scheme and language when it loads: give it a browser's answers, in English.
vi.stubGlobal('window', { matchMedia: () => ({ matches: false, addEventListener() {} }) })
vi.stubGlobal('navigator', { language: 'en-US' })

let runMutation: typeof import('../../src/renderer/src/rpc/mutation').runMutation
let useToasts: typeof import('../../src/renderer/src/stores/toasts').useToasts
beforeAll(async () => {
  ;({ runMutation } = await import('../../src/renderer/src/rpc/mutation'))
  ;({ useToasts } = await import('../../src/renderer/src/stores/toasts'))
})
beforeEach(() => useToasts.setState({ toasts: [] }))

const toasts = () => useToasts.getState().toasts.map(({ kind, title, detail }) => ({ kind, title, ...(detail ? { detail } : {}) }))

describe('runMutation: try, toast, finally', () => {
  it('on success: hands over the result, toasts the confirmation made from it, then settles', async () => {
    const order: string[] = []
    const result = await runMutation(async () => ({ rows: 3 }), {
      success: (r) => `Synced ${r.rows} rows`,
      onSuccess: (r) => order.push(`success ${r.rows}`),
      onError: () => order.push('error'),
      onSettled: () => order.push('settled')
    })
    expect(result).toEqual({ rows: 3 })
    expect(order).toEqual(['success 3', 'settled'])
    expect(toasts()).toEqual([{ kind: 'success', title: 'Synced 3 rows' }])
  })

  it('on failure: never rejects, toasts the translated error with the server detail, tells onError, and still settles', async () => {
    const order: string[] = []
    const failure = new RpcError('CONFLICT', 'The profile is active: switch first.')
    const result = await runMutation(
      async () => {
        throw failure
      },
      {
        success: () => 'never shown',
        onSuccess: () => order.push('success'),
        onError: (error) => order.push(error === failure ? 'error' : 'another error'),
        onSettled: () => order.push('settled')
      }
    )
    expect(result).toBeUndefined()
    expect(order).toEqual(['error', 'settled'])
    expect(toasts()).toEqual([{ kind: 'error', title: 'It was changed by someone else or already exists. Reload and try again.', detail: 'The profile is active: switch first.' }])
  })

  it('without a success message it stays quiet on success (the result shows for itself)', async () => {
    await runMutation(async () => 1)
    expect(toasts()).toEqual([])
  })
})
