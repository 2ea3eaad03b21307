import { useRef, useState, type FormEvent } from 'react'
import type { ConversationMatch, SessionContext, SupportSession, TranscriptMessage } from '../../../../shared/rpc/areas/tenants'
import { SearchField, useSearchText } from '../../components/SearchField'
import { Highlight } from '../../components/Highlight'
import { EmptyState, ErrorState, LoadingState } from '../../components/states'
import { formatDateTime } from '../../i18n/format'
import { useLocale, useT } from '../../i18n/useT'
import { rpc } from '../../rpc/transport'
import { useRpcQuery } from '../../rpc/useRpcQuery'
import { notifyError } from '../../stores/notify'
import { contextKeyLabel, readableValue } from './format'
import { tenantsCatalog } from './messages'
import type { TabProps } from './TenantDetail'

const CONTEXT_PARTS: (keyof SessionContext)[] = ['userPreferences', 'businessContext', 'sessionMetadata']

function ContextView({ context }: { context: SessionContext }) {
  const t = useT(tenantsCatalog)
  const locale = useLocale()
  return (
    <section aria-labelledby="tenant-context-title" className="tenant-context">
      <h3 id="tenant-context-title">{t('context.title')}</h3>
      {CONTEXT_PARTS.map((part) => {
        const entries = Object.entries(context[part])
        return (
          <div key={part}>
            <h4>{t(`context.${part}`)}</h4>
            {entries.length === 0 ? (
              <p className="tenant-muted">{t('context.empty')}</p>
            ) : (
              <dl className="tenant-facts">
                {entries.map(([key, value]) => (
                  <div key={key}>
                    <dt>{contextKeyLabel(key, locale)}</dt>
                    <dd>{readableValue(value, locale)}</dd>
                  </div>
                ))}
              </dl>
            )}
          </div>
        )
      })}
    </section>
  )
}

/**
 * Customer message and agent answer; answers below the tenant's handoff threshold are highlighted.
 * A search hit marks what matched (`query`) and links to its conversation (`onOpen`).
 */
export function MessageView({ message, threshold, query = '', onOpen }: { message: TranscriptMessage | ConversationMatch; threshold: number; query?: string; onOpen?(): void }) {
  const t = useT(tenantsCatalog)
  const locale = useLocale()
  return (
    <li className={`tenant-message${message.lowConfidence ? ' tenant-message--low' : ''}`}>
      <p className="tenant-muted">{formatDateTime(message.createdAt, locale)}</p>
      {message.message ? <p><strong>{t('transcript.customer')}:</strong> <Highlight text={message.message} query={query} /></p> : null}
      {message.response ? (
        <p>
          <strong>{t('transcript.agent', { name: message.agentName ?? '' })}:</strong> <Highlight text={message.response} query={query} />
        </p>
      ) : null}
      <p className="tenant-message__meta">
        {message.sentiment ? <span className={`badge tenant-sentiment--${message.sentiment}`}>{t(`sentiment.${message.sentiment}`)}</span> : null}
        {message.confidence !== null ? <span>{t('transcript.confidence', { value: message.confidence })}</span> : null}
        {message.lowConfidence ? <strong className="tenant-over">{t('transcript.low', { threshold })}</strong> : null}
        {onOpen ? (
          <button type="button" className="link" onClick={onOpen} data-testid="conversation-hit-open">
            {t('conversations.open')}
          </button>
        ) : null}
      </p>
    </li>
  )
}

function Transcript({ tenantId, session }: { tenantId: string; session: SupportSession }) {
  const t = useT(tenantsCatalog)
  const { data, error, loading, reload } = useRpcQuery('tenants.transcript', { tenantId, sessionId: session.id })
  return (
    <section aria-labelledby="tenant-transcript-title" className="panel panel--padded">
      <h3 id="tenant-transcript-title">{t('transcript.title')} · {session.sessionKey}</h3>
      <ContextView context={session.context} />
      {data ? (
        <ol className="tenant-messages">
          {data.messages.map((m) => <MessageView key={m.id} message={m} threshold={data.lowConfidenceBelow} />)}
        </ol>
      ) : loading ? <LoadingState /> : <ErrorState error={error} onRetry={reload} />}
    </section>
  )
}

function ConversationSearch({ tenantId, onOpen }: { tenantId: string; onOpen(sessionId: string): void }) {
  const t = useT(tenantsCatalog)
  const query = useSearchText()
  const [result, setResult] = useState<{ matches: ConversationMatch[]; lowConfidenceBelow: number; query: string } | null>(null)
  const [error, setError] = useState<string | undefined>()

  async function search(event: FormEvent) {
    event.preventDefault()
    if (query.tooLong) return
    if (query.fitting.length < 2) {
      setError(t('validation.tooShort', { min: 2 }))
      return
    }
    setError(undefined)
    try {
      setResult({ ...(await rpc.call('tenants.searchConversations', { tenantId, query: query.fitting })), query: query.fitting })
    } catch (e) {
      notifyError(e)
    }
  }

  return (
    <section className="panel panel--padded" aria-label={t('conversations.search')}>
      <form className="tenant-inline-form" role="search" onSubmit={(e) => void search(e)} noValidate>
        <SearchField label={t('conversations.search')} search={query} error={error} />
        <button type="submit" className="button">{t('conversations.searchButton')}</button>
      </form>
      {result ? (
        <>
          <p role="status">{result.matches.length ? t('conversations.results', { count: result.matches.length }) : t('conversations.none')}</p>
          <ol className="tenant-messages">
            {result.matches.map((m) => (
              <MessageView key={m.id} message={m} threshold={result.lowConfidenceBelow} query={result.query} onOpen={m.sessionId ? () => onOpen(m.sessionId!) : undefined} />
            ))}
          </ol>
        </>
      ) : null}
    </section>
  )
}

export function SupportTab({ detail }: TabProps) {
  const t = useT(tenantsCatalog)
  const locale = useLocale()
  const tenantId = detail.profile.id
  const sessions = useRpcQuery('tenants.sessions', { tenantId, limit: 200 })
  const [open, setOpen] = useState<SupportSession | null>(null)
  const transcriptRef = useRef<HTMLDivElement>(null)
  // A search hit opens its conversation beside the sessions and moves the focus there.
  const openSession = (sessionId: string) => {
    const session = sessions.data?.sessions.find((s) => s.id === sessionId)
    if (!session) return
    setOpen(session)
    requestAnimationFrame(() => transcriptRef.current?.focus())
  }
  return (
    <div className="tenant-support">
      <ConversationSearch tenantId={tenantId} onOpen={openSession} />
      <div className="tenant-columns">
        <section className="panel panel--padded" aria-labelledby="tenant-sessions-title">
          <h2 id="tenant-sessions-title" className="panel__title">{t('sessions.title')}</h2>
          {!sessions.data ? (
            sessions.loading ? <LoadingState /> : <ErrorState error={sessions.error} onRetry={sessions.reload} />
          ) : sessions.data.sessions.length === 0 ? (
            <EmptyState title={t('sessions.none')} />
          ) : (
            <ul className="tenant-sessions">
              {sessions.data.sessions.map((s) => (
                <li key={s.id}>
                  <button type="button" className="tenant-session" aria-pressed={open?.id === s.id} onClick={() => setOpen(s)}>
                    <strong>{s.channel ?? '—'}</strong> · {t('sessions.user')} {s.userId ?? '—'} · {t('sessions.messages', { count: s.conversationCount })}
                    <span className="tenant-muted">
                      {t('sessions.lastActivity')}: {formatDateTime(s.lastActivity, locale)} · {t('sessions.expires')}:{' '}
                      {s.expiresAt ? formatDateTime(s.expiresAt, locale) : t('sessions.never')} {s.expired ? `(${t('sessions.expired')})` : ''}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <div ref={transcriptRef} tabIndex={-1}>
          {open ? <Transcript key={open.id} tenantId={tenantId} session={open} /> : <p className="tenant-muted">{t('transcript.choose')}</p>}
        </div>
      </div>
    </div>
  )
}
