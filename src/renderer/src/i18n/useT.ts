import { useCallback } from 'react'
import { usePreferences } from '../stores/preferences'
import { translate, type Catalog, type Locale, type Messages, type Params } from './define'

export type Translate<M extends Messages> = (key: keyof M & string, params?: Params) => string

export function useLocale(): Locale {
  return usePreferences((state) => state.locale)
}

/** The frame and every area translate through this, each with its own typed catalog. */
export function useT<M extends Messages>(catalog: Catalog<M>): Translate<M> {
  const locale = useLocale()
  return useCallback<Translate<M>>((key, params) => translate(catalog, locale, key, params), [catalog, locale])
}
