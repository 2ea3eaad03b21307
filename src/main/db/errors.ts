import { RpcError } from '../../shared/rpc/errors'

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'])
const INVALID_SQLSTATES = new Set(['23502', '23503', '23514', '23P01', '22001', '22003', '22007', '22008', '22P02', '22023'])

interface PgLikeError {
  code?: unknown
  constraint?: unknown
  detail?: unknown
  message?: unknown
}

/** Who changed a row since the operator saw it: the DETAIL (JSON) of SQLSTATE AV409, from the database's own functions. */
function describeChange(err: PgLikeError): string {
  try {
    const change = JSON.parse(typeof err.detail === 'string' ? err.detail : '') as { changedBy?: unknown; changedAt?: unknown }
    if (typeof change.changedBy === 'string' && typeof change.changedAt === 'string') return ` It was changed by ${change.changedBy} at ${change.changedAt}.`
  } catch {
    // No usable detail: the generic message stands.
  }
  return ''
}

/** A role name or state word a state-machine function put in DETAIL; anything else is not shown. */
const SAFE_DETAIL = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/

function safeDetail(err: PgLikeError): string | undefined {
  return typeof err.detail === 'string' && SAFE_DETAIL.test(err.detail) ? err.detail : undefined
}

function describeConstraint(err: PgLikeError): string {
  return typeof err.constraint === 'string' ? ` (${err.constraint})` : ''
}

/**
 * Maps a pg or socket error to the RPC error the renderer may see. Driver messages are not passed
 * on verbatim: they can quote row values of other requests or server internals.
 */
export function toRpcError(error: unknown): RpcError {
  if (error instanceof RpcError) return error
  const err = (typeof error === 'object' && error !== null ? error : {}) as PgLikeError
  const code = typeof err.code === 'string' ? err.code : ''
  const message = typeof err.message === 'string' ? err.message : ''

  if (code === '42501') return new RpcError('FORBIDDEN', 'The database refused this action for your role.')
  if (code === '23505') return new RpcError('CONFLICT', `That value already exists${describeConstraint(err)}.`)
  if (code === '40001' || code === '40P01') return new RpcError('CONFLICT', 'A concurrent change got in the way; try again.', { retryable: true })
  // State machines (migrations/012, moderation): a stale version names who changed it, an illegal transition the current state.
  if (code === 'P0409') {
    const who = safeDetail(err)
    return new RpcError('CONFLICT', who ? `${who} changed this since you opened it; reload to see the change.` : 'This changed since you opened it; reload to see the change.')
  }
  // A database closed to new sessions (ALLOW_CONNECTIONS false, or being dropped) is an outage that
  // passes, not a state-machine refusal: it shares 55000 with those, so its message tells them apart.
  if (code === '55000' && /not currently accepting connections/i.test(message)) return new RpcError('OFFLINE', 'The database is not accepting connections right now.')
  if (code === '55000') {
    const state = safeDetail(err)
    return new RpcError('CONFLICT', state ? `Not allowed while it is ${state.replaceAll('_', ' ')}.` : 'Not allowed in its current state.')
  }
  // Data-subject requests (migrations/013): a stale version (AV409) and a move the machine does not allow (AV422).
  if (code === 'AV409') return new RpcError('CONFLICT', `Someone changed this record since you opened it; reload it.${describeChange(err)}`)
  if (code === 'AV422') return new RpcError('INVALID', 'That change is not allowed in the record\'s current state.')
  if (code === 'P0002') return new RpcError('NOT_FOUND', 'The record does not exist.')
  if (INVALID_SQLSTATES.has(code)) return new RpcError('INVALID', `The database rejected the values${describeConstraint(err)}.`)
  if (code === '57014' || code === '55P03' || code === '25P03') return new RpcError('TIMEOUT', 'The database took too long to answer.')
  if (code === '28P01' || code === '28000') return new RpcError('UNAUTHORIZED', 'The database refused the sign-in.')
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300' || CONNECTION_ERROR_CODES.has(code)) {
    return new RpcError('OFFLINE', 'The database cannot be reached.')
  }
  if (/Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)) {
    return new RpcError('OFFLINE', 'The database cannot be reached.')
  }
  return new RpcError('INTERNAL', 'Unexpected database error.')
}
