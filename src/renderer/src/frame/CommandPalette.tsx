import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { SEARCH_MAX } from '../../../shared/rpc/list'
import { useProviderAllowed, useVisibleAreas } from '../capabilities/useVisibleAreas'
import type { AreaDefinition, PaletteItem } from '../areas/types'
import { Icon, type IconName } from '../components/Icon'
import { frameCatalog } from '../i18n/catalog'
import { LOCALES, translate, type Locale } from '../i18n/define'
import { errorMessageKey } from '../i18n/errors'
import { useLocale, useT } from '../i18n/useT'
import { fuzzyMatch, rankByFuzzy } from '../palette/fuzzy'
import { hrefOf } from '../routing/hash'
import { notifyError } from '../stores/notify'
import { usePalette } from '../stores/palette'
import { paletteCommands } from './paletteCommands'

interface Entry extends PaletteItem {
  key: string
  positions: number[]
}

interface Group {
  id: string
  label: string
  entries: Entry[]
  loading?: boolean
  error?: unknown
}

interface ProviderResult {
  loading: boolean
  items: PaletteItem[]
  error?: unknown
}

const SEARCH_DELAY_MS = 150

/** Asks every area's provider (tenants by name, …) as the operator types; stale answers are dropped. */
function useProviderResults(query: string, open: boolean, locale: Locale, areas: readonly AreaDefinition[]): Record<string, ProviderResult> {
  const [results, setResults] = useState<Record<string, ProviderResult>>({})
  const allowed = useProviderAllowed()
  const providers = areas.filter((area) => area.paletteProvider && allowed(area.paletteProvider))
  // The providers change only when the operator's groups do: their ids key the effect.
  const providerKey = providers.map((area) => area.id).join(',')
  useEffect(() => {
    // A query past the limit of every search procedure is not sent: the palette says so instead.
    const searching = query.trim().length > SEARCH_MAX ? [] : providers.filter((area) => query.trim().length >= (area.paletteProvider!.minQueryLength ?? 1))
    if (!open || searching.length === 0) {
      setResults({})
      return
    }
    const controller = new AbortController()
    setResults((previous) => Object.fromEntries(searching.map((area) => [area.id, { loading: true, items: previous[area.id]?.items ?? [] }])))
    const timer = setTimeout(() => {
      for (const area of searching) {
        area
          .paletteProvider!.search(query.trim(), { locale, signal: controller.signal })
          .then((items) => ({ loading: false, items }), (error: unknown) => ({ loading: false, items: [], error }))
          .then((result) => {
            if (!controller.signal.aborted) setResults((previous) => ({ ...previous, [area.id]: result }))
          })
      }
    }, SEARCH_DELAY_MS)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [query, open, locale, providerKey])
  return results
}

function Highlighted({ text, positions }: { text: string; positions: number[] }): ReactNode {
  if (positions.length === 0) return text
  const marked = new Set(positions)
  const parts: ReactNode[] = []
  let run = ''
  let runMarked = false
  const flush = (index: number) => {
    if (run) parts.push(runMarked ? <mark key={index}>{run}</mark> : run)
    run = ''
  }
  text.split('').forEach((char, index) => {
    if (marked.has(index) !== runMarked) {
      flush(index)
      runMarked = marked.has(index)
    }
    run += char
  })
  flush(text.length)
  return parts
}

export function CommandPalette() {
  const t = useT(frameCatalog)
  const locale = useLocale()
  const open = usePalette((state) => state.open)
  const setOpen = usePalette((state) => state.setOpen)
  const dialogRef = useRef<HTMLDialogElement>(null)
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const areas = useVisibleAreas()
  const providerResults = useProviderResults(query, open, locale, areas)

  useEffect(() => {
    const dialog = dialogRef.current
    if (!dialog) return
    if (open && !dialog.open) {
      setQuery('')
      setActive(0)
      dialog.showModal()
    } else if (!open && dialog.open) {
      dialog.close()
    }
  }, [open])

  const groups = useMemo<Group[]>(() => {
    const areaEntries = rankByFuzzy(areas, query, (area) => [
      translate(area.catalog, locale, 'area.title'),
      ...LOCALES.filter((other) => other !== locale).map((other) => translate(area.catalog, other, 'area.title')),
      translate(area.catalog, locale, 'area.description'),
      ...(area.keywords ?? [])
    ]).map(({ item: area, match }) => ({
      key: `area:${area.id}`,
      id: area.id,
      label: translate(area.catalog, locale, 'area.title'),
      hint: translate(area.catalog, locale, 'area.description'),
      icon: area.icon,
      href: hrefOf([area.id]),
      positions: match.positions,
      score: match.score
    }))
    const providerGroups = areas
      .filter((area) => providerResults[area.id])
      .map((area): Group => {
        const result = providerResults[area.id]!
        return {
          id: area.id,
          label: translate(area.catalog, locale, 'area.title'),
          loading: result.loading,
          error: result.error,
          entries: result.items.map((item) => ({ ...item, icon: item.icon ?? area.icon, key: `${area.id}:${item.id}`, positions: fuzzyMatch(query, item.label)?.positions ?? [] }))
        }
      })
    const commandEntries = rankByFuzzy(paletteCommands(t, locale), query, (command) => [command.label, ...command.keywords]).map(({ item, match }) => ({
      ...item,
      key: `command:${item.id}`,
      positions: match.positions,
      score: match.score
    }))
    const all: Group[] = [
      { id: 'areas', label: t('palette.group.areas'), entries: areaEntries },
      ...providerGroups,
      { id: 'commands', label: t('palette.group.commands'), entries: commandEntries }
    ]
    // The group holding the best match comes first, so Enter opens it: "farm" is Farmacia Santa
    // Lucía (the whole word in its name), not the Tenants area (scattered letters of its description).
    // Ties keep the order above (areas, then providers, then commands).
    // A provider's items were matched by the provider (the server, for tenants): scored here by their label, 0 when it does not show the query.
    const scoreOf = (entry: Group['entries'][number]) => ('score' in entry && typeof entry.score === 'number' ? entry.score : (fuzzyMatch(query, entry.label)?.score ?? 0))
    const best = (group: Group) => Math.max(-Infinity, ...group.entries.map(scoreOf))
    const ranked = query.trim() === '' ? all : all.map((group, order) => ({ group, order, score: best(group) })).sort((a, b) => b.score - a.score || a.order - b.order).map(({ group }) => group)
    return ranked.filter((group) => group.entries.length > 0 || group.loading || group.error)
  }, [query, locale, t, providerResults, areas])

  const entries = groups.flatMap((group) => group.entries)
  const activeIndex = Math.min(active, Math.max(0, entries.length - 1))
  const searching = groups.some((group) => group.loading)
  // Enter pressed while tenants are still being searched opens the best result once they arrive:
  // "farm" typed quickly then Enter opens Farmacia Santa Lucía, not the area the letters matched first.
  const [enterPending, setEnterPending] = useState(false)
  useEffect(() => {
    if (enterPending && !searching) {
      setEnterPending(false)
      choose(entries[activeIndex])
    }
  })
  useEffect(() => setEnterPending(false), [query, open])

  function choose(entry: Entry | undefined) {
    if (!entry) return
    setOpen(false)
    if (entry.href) window.location.hash = entry.href
    if (entry.run) Promise.resolve(entry.run()).catch(notifyError)
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      if (entries.length === 0) return
      const step = event.key === 'ArrowDown' ? 1 : -1
      setActive((activeIndex + step + entries.length) % entries.length)
    } else if (event.key === 'Enter') {
      event.preventDefault()
      if (searching) setEnterPending(true)
      else choose(entries[activeIndex])
    }
  }

  let index = -1
  return (
    <dialog
      ref={dialogRef}
      className="palette"
      aria-labelledby="palette-title"
      onClose={() => setOpen(false)}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog element itself.
        if (event.target === dialogRef.current) setOpen(false)
      }}
    >
      <h2 id="palette-title" className="visually-hidden">
        {t('palette.title')}
      </h2>
      <div className="palette__search">
        <Icon name="search" />
        <input
          className="palette__input"
          type="text"
          role="combobox"
          aria-label={t('palette.inputLabel')}
          aria-expanded={entries.length > 0}
          aria-controls={groups.length > 0 ? 'palette-results' : undefined}
          aria-autocomplete="list"
          aria-activedescendant={entries.length > 0 ? `palette-option-${activeIndex}` : undefined}
          placeholder={t('palette.placeholder')}
          value={query}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => {
            setQuery(event.target.value)
            setActive(0)
          }}
          onKeyDown={onKeyDown}
        />
        <kbd className="kbd">Esc</kbd>
      </div>
      <div className="palette__results">
      {groups.length > 0 ? (
      <div id="palette-results" role="listbox" aria-label={t('palette.resultsLabel')}>
        {groups.map((group) => (
          <div key={group.id} role="group" aria-labelledby={`palette-group-${group.id}`} className="palette__group">
            <div id={`palette-group-${group.id}`} className="palette__group-label" aria-hidden="true">
              {group.label}
            </div>
            {group.entries.map((entry) => {
              index += 1
              const position = index
              return (
                <div
                  key={entry.key}
                  id={`palette-option-${position}`}
                  role="option"
                  aria-selected={position === activeIndex}
                  className="palette__option"
                  onMouseMove={() => setActive(position)}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => choose(entry)}
                >
                  <Icon name={(entry.icon ?? 'arrowRight') as IconName} />
                  <span className="palette__label">
                    <Highlighted text={entry.label} positions={entry.positions} />
                  </span>
                  {entry.hint ? <span className="palette__hint">{entry.hint}</span> : null}
                </div>
              )
            })}
            {group.error ? <div className="palette__note">{t(errorMessageKey(group.error))}</div> : null}
          </div>
        ))}
      </div>
      ) : null}
        {query.trim().length > SEARCH_MAX ? (
          <div className="palette__note" role="alert">{t('search.tooLong', { max: SEARCH_MAX })}</div>
        ) : entries.length === 0 && !searching ? (
          <div className="palette__note">{t('palette.noResults', { query })}</div>
        ) : null}
      </div>
      <div className="palette__footer">
        <span role="status">{searching ? t('palette.searching') : t('palette.resultCount', { count: entries.length })}</span>
        <span aria-hidden="true">{t('palette.hint')}</span>
      </div>
    </dialog>
  )
}
