import type { PaletteItem } from '../areas/types'
import type { Translate } from '../i18n/useT'
import type { FrameMessages } from '../i18n/en'
import type { Locale } from '../i18n/define'
import type { Theme } from '../../../shared/rpc/areas/settings'
import { usePreferences } from '../stores/preferences'

export interface PaletteCommand extends PaletteItem {
  keywords: string[]
}

function setTheme(theme: Theme) {
  return () => usePreferences.getState().update({ theme })
}

/** Frame-level commands; the language one is labelled in the language it switches to. */
export function paletteCommands(t: Translate<FrameMessages>, locale: Locale): PaletteCommand[] {
  const other: Locale = locale === 'en' ? 'es' : 'en'
  return [
    { id: 'theme-dark', label: t('palette.cmd.themeDark'), icon: 'moon', keywords: ['dark', 'oscuro', 'theme', 'tema'], run: setTheme('dark') },
    { id: 'theme-light', label: t('palette.cmd.themeLight'), icon: 'sun', keywords: ['light', 'claro', 'theme', 'tema'], run: setTheme('light') },
    { id: 'theme-system', label: t('palette.cmd.themeSystem'), icon: 'settings', keywords: ['system', 'sistema', 'theme', 'tema'], run: setTheme('system') },
    {
      id: 'language',
      label: t('palette.cmd.language'),
      icon: 'language',
      keywords: ['language', 'idioma', 'english', 'español', 'spanish', 'inglés'],
      run: () => usePreferences.getState().update({ language: other })
    }
  ]
}
