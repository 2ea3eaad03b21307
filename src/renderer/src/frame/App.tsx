import { useEffect, useRef } from 'react'
import { HOME_AREA_ID } from '../areas/registry'
import { useVisibleAreas } from '../capabilities/useVisibleAreas'
import { EmptyState } from '../components/states'
import { PAGE_TITLE_ID } from '../components/PageHeader'
import { frameCatalog } from '../i18n/catalog'
import { translate } from '../i18n/define'
import { useLocale, useT } from '../i18n/useT'
import { hrefOf } from '../routing/hash'
import { useRoute } from '../routing/route'
import { usePalette } from '../stores/palette'
import { AreaOutlet } from './AreaOutlet'
import { CommandPalette } from './CommandPalette'
import { JobsStrip } from './JobsStrip'
import { Sidebar } from './Sidebar'
import { Toasts } from './Toasts'
import { TopBar } from './TopBar'

/** Ctrl+K (Cmd+K on macOS) toggles the palette from anywhere, including inside text fields. */
function usePaletteShortcut() {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault()
        const { open, setOpen } = usePalette.getState()
        setOpen(!open)
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}

export function App() {
  const t = useT(frameCatalog)
  const locale = useLocale()
  const segments = useRoute((state) => state.segments)
  const mainRef = useRef<HTMLElement>(null)
  const firstRender = useRef(true)
  usePaletteShortcut()

  const areaId = segments[0] ?? HOME_AREA_ID
  // An area the operator's groups cannot use is as absent as an unknown one.
  const area = useVisibleAreas().find((candidate) => candidate.id === areaId)
  const areaTitle = area ? translate(area.catalog, locale, 'area.title') : null

  useEffect(() => {
    document.title = areaTitle ? `${areaTitle} · ${t('app.name')}` : t('app.name')
  }, [areaTitle, t])

  // After a navigation, keyboard and screen-reader users continue from the new screen, not the old link.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false
      return
    }
    mainRef.current?.focus({ preventScroll: true })
  }, [areaId])

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault()
          mainRef.current?.focus()
        }}
      >
        {t('frame.skipToContent')}
      </a>
      <TopBar />
      <div className="app__body">
        <Sidebar currentAreaId={area?.id} />
        <div className="app__workspace">
          <JobsStrip />
          <main id="main" ref={mainRef} tabIndex={-1} className="main" aria-labelledby={area ? PAGE_TITLE_ID : undefined}>
            {area ? (
              <AreaOutlet area={area} path={segments.slice(1)} />
            ) : (
              <EmptyState icon="alert" title={t('frame.areaNotFound')} action={<a className="button" href={hrefOf([HOME_AREA_ID])}>{t('frame.goHome')}</a>} />
            )}
          </main>
        </div>
      </div>
      <Toasts />
      <CommandPalette />
    </div>
  )
}
