/**
 * A one-line description of an unexpected error for the log. Driver errors can quote connection
 * strings or `password=` parameters; those are masked so a secret never reaches a log file.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `non-error thrown: ${typeof error}`
  const code = (error as { code?: unknown }).code
  const head = typeof code === 'string' ? `${error.name} [${code}]` : error.name
  return `${head}: ${redactSecrets(error.message)}`
}

export function redactSecrets(text: string): string {
  return text
    .replace(/(\w+:\/\/[^:/?#\s@]*:)[^@\s]*@/g, '$1***@')
    .replace(/\b(password|passwd|pwd|secret|token)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,]+)/gi, '$1$2***')
}
