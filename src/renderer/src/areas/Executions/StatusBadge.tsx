export function StatusBadge({ status }: { status: string }) {
  const tone = status === 'success' ? ' badge--success' : status === 'error' || status === 'crashed' ? ' badge--danger' : ''
  return <span className={`badge${tone}`}>{status}</span>
}
