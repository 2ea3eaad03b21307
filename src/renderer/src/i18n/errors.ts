import { RpcError, type RpcErrorCode } from '../../../shared/rpc/errors'

export type ErrorMessageKey = `error.${RpcErrorCode}`

/** Anything thrown that is not an RpcError came from the renderer itself: an internal error. */
export function errorMessageKey(error: unknown): ErrorMessageKey {
  return error instanceof RpcError ? `error.${error.code}` : 'error.INTERNAL'
}

export function fieldIssues(error: unknown): Record<string, string> {
  if (!(error instanceof RpcError) || !error.issues) return {}
  return Object.fromEntries(error.issues.map((issue) => [issue.path, issue.message]))
}
