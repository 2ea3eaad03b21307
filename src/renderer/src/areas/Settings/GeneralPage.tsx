import { languageSchema, themeSchema, type Language, type Theme } from '../../../../shared/rpc/areas/settings'
import { SectionHeader } from '../../components/PageHeader'
import { useT } from '../../i18n/useT'
import { notifyError } from '../../stores/notify'
import { usePreferences } from '../../stores/preferences'
import { settingsCatalog } from './messages'

/** 'system' first: it is the default, and the other choices override it. */
function systemFirst<V extends string>(values: readonly V[]): V[] {
  return [...values].sort((a, b) => Number(b === 'system') - Number(a === 'system'))
}
const LANGUAGES = systemFirst(languageSchema.options)
const THEMES = systemFirst(themeSchema.options)

function ChoiceGroup<V extends string>({ legend, name, value, options, onChange }: { legend: string; name: string; value: V; options: { value: V; label: string; lang?: string }[]; onChange: (value: V) => void }) {
  return (
    <fieldset className="choice-group">
      <legend className="choice-group__legend">{legend}</legend>
      <div className="choice-group__options">
        {options.map((option) => (
          <label key={option.value} className="choice">
            <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} />
            <span lang={option.lang}>{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  )
}

export function GeneralPage() {
  const t = useT(settingsCatalog)
  const language = usePreferences((state) => state.language)
  const theme = usePreferences((state) => state.theme)
  const update = usePreferences((state) => state.update)
  const save = (patch: { language?: Language; theme?: Theme }) => update(patch).catch(notifyError)
  return (
    <section aria-labelledby="settings-page-title" className="settings-page">
      <SectionHeader id="settings-page-title" title={t('page.general')} description={t('page.general.description')} />
      <div className="panel panel--padded stack">
        <ChoiceGroup
          legend={t('general.language')}
          name="language"
          value={language}
          // Each language is named in itself, and marked so, for screen readers.
          options={LANGUAGES.map((value) => ({ value, label: t(`general.language.${value}`), ...(value === 'system' ? {} : { lang: value }) }))}
          onChange={(value) => save({ language: value })}
        />
        <ChoiceGroup
          legend={t('general.theme')}
          name="theme"
          value={theme}
          options={THEMES.map((value) => ({ value, label: t(`general.theme.${value}`) }))}
          onChange={(value) => save({ theme: value })}
        />
        <p className="muted">{t('general.savedAutomatically')}</p>
      </div>
    </section>
  )
}
