import { useState } from 'react'
import { hrefOf } from '../routing/hash'
import { useT } from '../i18n/useT'
import { Icon } from './Icon'
import { reviewCatalog } from './review/commonMessages'

/** The console's address of `segments`, as a link another operator can open (same origin, or the same file in Electron). */
export function shareableLink(segments: readonly string[]): string {
  return `${window.location.href.split('#')[0]}${hrefOf(segments)}`
}

/** Copies the address of an open record (an execution, an audit entry, a tenant) and says so. */
export function CopyLinkButton({ segments }: { segments: readonly string[] }) {
  const t = useT(reviewCatalog)
  const [note, setNote] = useState('')
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(shareableLink(segments))
      setNote(t('detail.linkCopied'))
    } catch {
      setNote(t('copy.failed'))
    }
  }
  return (
    <>
      <button type="button" className="icon-button" aria-label={t('detail.copyLink')} title={t('detail.copyLink')} onClick={() => void copy()} data-testid="copy-link">
        <Icon name="link" />
      </button>
      <span className="muted" role="status">
        {note}
      </span>
    </>
  )
}
