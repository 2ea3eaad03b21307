import { periodSchema, type Period } from '../../../../shared/rpc/areas/usage'
import { SelectField, TextField } from '../../components/Field'
import { useT } from '../../i18n/useT'
import { usageCatalog } from './messages'
import { PRESETS, presetPeriod, type Preset } from './period'

export interface PeriodChoice {
  preset: Preset
  custom: Period
}

/** The chosen period, or the schema's message when a custom one is refused (same rule as the server). */
export function resolvePeriod(choice: PeriodChoice): { period: Period | null; error: string | null } {
  if (choice.preset !== 'custom') return { period: presetPeriod(choice.preset), error: null }
  const parsed = periodSchema.safeParse(choice.custom)
  return parsed.success ? { period: parsed.data, error: null } : { period: null, error: parsed.error.issues[0]?.message ?? null }
}

export function PeriodPicker({ value, onChange, error }: { value: PeriodChoice; onChange(next: PeriodChoice): void; error: string | null }) {
  const t = useT(usageCatalog)
  return (
    <>
      <SelectField
        label={t('period.label')}
        value={value.preset}
        onChange={(e) => onChange({ ...value, preset: e.target.value as Preset })}
        options={PRESETS.map((p) => ({ value: p, label: t(`period.${p}`) }))}
        data-testid="usage-period"
      />
      {value.preset === 'custom' ? (
        <>
          <TextField label={t('period.from')} type="date" value={value.custom.from} onChange={(e) => onChange({ ...value, custom: { ...value.custom, from: e.target.value } })} data-testid="usage-from" />
          <TextField label={t('period.to')} type="date" value={value.custom.to} error={error ?? undefined} onChange={(e) => onChange({ ...value, custom: { ...value.custom, to: e.target.value } })} data-testid="usage-to" />
        </>
      ) : null}
    </>
  )
}
