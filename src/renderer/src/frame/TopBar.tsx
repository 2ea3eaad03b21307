import { Icon } from '../components/Icon'
import { frameCatalog } from '../i18n/catalog'
import { useT } from '../i18n/useT'
import { hrefOf } from '../routing/hash'
import { HOME_AREA_ID } from '../areas/registry'
import { usePalette } from '../stores/palette'
import { ConnectionIndicator } from './ConnectionIndicator'

const isMac = /Mac|iPhone|iPad/.test(navigator.platform)

export function TopBar() {
  const t = useT(frameCatalog)
  const setPaletteOpen = usePalette((state) => state.setOpen)
  return (
    <header className="topbar">
      <a className="brand" href={hrefOf([HOME_AREA_ID])}>
        <span className="brand__mark" aria-hidden="true">
          AV
        </span>
        <span className="brand__text">
          <span className="brand__name">{t('app.name')}</span>
          <span className="brand__subtitle">{t('app.subtitle')}</span>
        </span>
      </a>
      <button type="button" className="palette-trigger" onClick={() => setPaletteOpen(true)} aria-keyshortcuts={isMac ? 'Meta+K' : 'Control+K'} data-testid="palette-trigger">
        <Icon name="search" />
        <span className="palette-trigger__text">{t('palette.open')}</span>
        <kbd className="kbd">{isMac ? '⌘K' : t('palette.shortcut')}</kbd>
      </button>
      <ConnectionIndicator />
    </header>
  )
}
