import { useRef, useState } from 'react'
import { SEARCH_MAX } from '../../../shared/rpc/list'
import { frameCatalog } from '../i18n/catalog'
import { useT } from '../i18n/useT'
import { TextField, type TextFieldProps } from './Field'

export interface SearchText {
  text: string
  setText(text: string): void
  /** Longer than any search procedure accepts: the field says so. */
  tooLong: boolean
  /** What to search for: the trimmed text, or while it is too long the last one that fitted (the results stay as they were). */
  fitting: string
}

/**
 * The text of a search box. Every search procedure takes at most SEARCH_MAX characters; a longer
 * text is never sent (the server would refuse it and the list would fall back to everything).
 */
export function useSearchText(initial = ''): SearchText {
  const [text, setText] = useState(initial)
  const trimmed = text.trim()
  const tooLong = trimmed.length > SEARCH_MAX
  const lastFit = useRef(tooLong ? '' : trimmed)
  if (!tooLong) lastFit.current = trimmed
  return { text, setText, tooLong, fitting: lastFit.current }
}

/** Every search box of the console: a text field that names the length limit when the text passes it. */
export function SearchField({ search, error, ...field }: { search: SearchText } & Omit<TextFieldProps, 'value' | 'onChange' | 'type' | 'maxLength'>) {
  const t = useT(frameCatalog)
  return <TextField {...field} type="search" value={search.text} onChange={(event) => search.setText(event.target.value)} error={search.tooLong ? t('search.tooLong', { max: SEARCH_MAX }) : error} />
}
