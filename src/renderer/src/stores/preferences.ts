import { create } from 'zustand'
import type { Language, Preferences, Theme } from '../../../shared/rpc/areas/settings'
import type { Locale } from '../i18n/define'
import { rpc } from '../rpc/transport'

export type ResolvedTheme = 'light' | 'dark'

interface PreferencesState {
  /** What the operator chose; 'system' follows the OS. */
  language: Language
  theme: Theme
  /** What is on screen. */
  locale: Locale
  resolvedTheme: ResolvedTheme
  load(): Promise<void>
  update(patch: { language?: Language; theme?: Theme }): Promise<void>
}

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)')

function resolveTheme(theme: Theme): ResolvedTheme {
  if (theme === 'system') return darkQuery.matches ? 'dark' : 'light'
  return theme
}

function resolveLocale(language: Language): Locale {
  if (language !== 'system') return language
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en'
}

function resolved(preferences: Pick<Preferences, 'language' | 'theme'>) {
  return {
    language: preferences.language,
    theme: preferences.theme,
    locale: resolveLocale(preferences.language),
    resolvedTheme: resolveTheme(preferences.theme)
  }
}

/**
 * Language and theme, persisted through `settings.update` so both shells remember them. The
 * screen changes at once; a refused save puts the previous values back and rethrows for a toast.
 */
export const usePreferences = create<PreferencesState>((set, get) => ({
  ...resolved({ language: 'system', theme: 'system' }),
  async load() {
    set(resolved(await rpc.call('settings.get', {})))
  },
  async update(patch) {
    const previous = get()
    set(resolved({ language: patch.language ?? previous.language, theme: patch.theme ?? previous.theme }))
    try {
      set(resolved(await rpc.call('settings.update', patch)))
    } catch (error) {
      set(resolved(previous))
      throw error
    }
  }
}))

darkQuery.addEventListener('change', () => {
  usePreferences.setState((state) => ({ resolvedTheme: resolveTheme(state.theme) }))
})

/** Mirrors the preferences onto <html> so CSS and assistive technology follow them. */
export function reflectPreferencesOnDocument(): void {
  const apply = ({ locale, resolvedTheme }: PreferencesState) => {
    document.documentElement.lang = locale
    document.documentElement.dataset.theme = resolvedTheme
  }
  apply(usePreferences.getState())
  usePreferences.subscribe(apply)
}
