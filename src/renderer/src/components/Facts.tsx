import type { ReactNode } from 'react'

/** A definition list of label/value pairs: the record shown at the top of a panel or detail. */
export function Facts({ children }: { children: ReactNode }) {
  return <dl className="facts">{children}</dl>
}

/** One label and its value; `mono` for ids and roles, which are read character by character. */
export function Fact({ label, children, mono = false, muted = false, testId }: { label: string; children: ReactNode; mono?: boolean; muted?: boolean; testId?: string }) {
  const className = [mono ? 'mono' : '', muted ? 'muted' : ''].filter(Boolean).join(' ') || undefined
  return (
    <div>
      <dt>{label}</dt>
      <dd className={className} data-testid={testId}>
        {children}
      </dd>
    </div>
  )
}
