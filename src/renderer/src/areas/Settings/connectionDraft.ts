import type { z } from 'zod'
import { connectionsProcedures, type ConnectionEntry, type SslMode } from '../../../../shared/rpc/areas/connections'
import type { Locale } from '../../i18n/define'
import { wholeNumberOf } from '../../i18n/numbers'

/** The form's fields as typed (all text), before they become the procedure's input. */
export interface ConnectionDraft {
  id?: string
  name: string
  host: string
  port: string
  database: string
  user: string
  sslMode: SslMode
  password: string
}

export type DraftField = Exclude<keyof ConnectionDraft, 'id'>
export type DraftProblem = 'required' | 'invalidHost' | 'invalidPort' | 'tooLong' | 'other'

export const emptyDraft: ConnectionDraft = { name: '', host: 'localhost', port: '5432', database: 'postgres', user: '', sslMode: 'prefer', password: '' }

export function draftFromEntry(entry: ConnectionEntry): ConnectionDraft {
  return { id: entry.id, name: entry.name, host: entry.host, port: String(entry.port ?? ''), database: entry.database, user: entry.user, sslMode: entry.sslMode, password: '' }
}

const saveSchema = connectionsProcedures['connections.save'].input
export type SaveInput = z.input<typeof saveSchema>

export function toSaveInput(draft: ConnectionDraft, locale: Locale): SaveInput {
  const { id, password, port, ...rest } = draft
  return {
    ...(id ? { id } : {}),
    ...rest,
    port: wholeNumberOf(port, locale),
    // An empty password on an existing profile keeps the stored one.
    ...(password ? { password } : {})
  }
}

/**
 * Checks the draft with the very schema the main process applies, and names each problem so the
 * form can say it in the operator's language.
 */
export function validateDraft(draft: ConnectionDraft, locale: Locale): { input: SaveInput; problems: Partial<Record<DraftField, DraftProblem>> } {
  const input = toSaveInput(draft, locale)
  const parsed = saveSchema.safeParse(input)
  const problems: Partial<Record<DraftField, DraftProblem>> = {}
  if (parsed.success) return { input: parsed.data, problems }
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as DraftField | undefined
    if (!field || problems[field]) continue
    const text = field === 'port' ? draft.port.trim() : String(draft[field] ?? '').trim()
    if (text === '' && field !== 'password') problems[field] = 'required'
    else if (field === 'host') problems[field] = 'invalidHost'
    else if (field === 'port') problems[field] = 'invalidPort'
    else if (issue.code === 'too_big') problems[field] = 'tooLong'
    else problems[field] = 'other'
  }
  return { input, problems }
}
