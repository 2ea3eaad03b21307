/**
 * Every failure that crosses the RPC boundary has this shape. The renderer never sees a stack
 * trace or a driver message it could leak; it sees a code it can translate and act on.
 */
export const RPC_ERROR_CODES = [
  'BAD_INPUT', // the input failed its schema: the handler was never called
  'UNKNOWN_PROCEDURE',
  'UNAUTHORIZED', // browser mode: missing or wrong token; Electron: foreign sender frame
  'FORBIDDEN', // the database refused (42501) or the operator's role may not do this
  'NOT_FOUND',
  'CONFLICT', // unique violation, stale version, claimed by someone else
  'INVALID', // a domain rule refused a well-formed input (e.g. a limit above the plan's ceiling)
  'OFFLINE', // the database cannot be reached; retry later
  'TIMEOUT',
  'KEYCHAIN_UNAVAILABLE', // fail closed: no secret is stored anywhere else
  'SCHEMA_TOO_NEW',
  'INTERNAL'
] as const

export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number]

/**
 * Why a database could not be reached or used, one per class of driver or server error, so the
 * screen names the real cause (a wrong password is not "the session has expired").
 */
export const CONNECTION_FAILURES = ['authentication', 'dns', 'refused', 'tls', 'timeout', 'missingDatabase', 'missingSchema', 'permission', 'notAccepting'] as const
export type ConnectionFailure = (typeof CONNECTION_FAILURES)[number]

export function isConnectionFailure(value: unknown): value is ConnectionFailure {
  return typeof value === 'string' && (CONNECTION_FAILURES as readonly string[]).includes(value)
}

export interface RpcErrorShape {
  code: RpcErrorCode
  message: string
  retryable: boolean
  /** Field-level problems for BAD_INPUT/INVALID, keyed by dotted path. */
  issues?: { path: string; message: string }[]
  /** Set where a connection failed: which class of failure (the code alone is too coarse to say what to fix). */
  connectionFailure?: ConnectionFailure
}

export class RpcError extends Error implements RpcErrorShape {
  readonly code: RpcErrorCode
  readonly retryable: boolean
  readonly issues?: { path: string; message: string }[]
  readonly connectionFailure?: ConnectionFailure

  constructor(code: RpcErrorCode, message: string, opts: { retryable?: boolean; issues?: RpcErrorShape['issues']; connectionFailure?: ConnectionFailure } = {}) {
    super(message)
    this.name = 'RpcError'
    this.code = code
    this.retryable = opts.retryable ?? (code === 'OFFLINE' || code === 'TIMEOUT')
    if (opts.issues) this.issues = opts.issues
    if (opts.connectionFailure) this.connectionFailure = opts.connectionFailure
  }

  toJSON(): RpcErrorShape {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.connectionFailure ? { connectionFailure: this.connectionFailure } : {})
    }
  }
}

export function isRpcErrorShape(value: unknown): value is RpcErrorShape {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.code === 'string' && (RPC_ERROR_CODES as readonly string[]).includes(v.code) && typeof v.message === 'string' && typeof v.retryable === 'boolean'
}

/** What every transport sends back: exactly one of the two. */
export type RpcResult<T> = { ok: true; value: T } | { ok: false; error: RpcErrorShape }
