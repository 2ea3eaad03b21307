import { MAX_PERIOD_YEARS } from '../../../../shared/rpc/areas/usage'
import { SelectField, TextField } from '../../components/Field'
import { useT } from '../../i18n/useT'
import { usageCatalog } from './messages'
import { PRESETS, type PeriodChoice, type PeriodIssue, type Preset } from './period'

export function PeriodPicker({ value, onChange, error }: { value: PeriodChoice; onChange(next: PeriodChoice): void; error: PeriodIssue | null }) {
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
          <TextField label={t('period.to')} type="date" value={value.custom.to} error={error ? t(error, { years: MAX_PERIOD_YEARS }) : undefined} onChange={(e) => onChange({ ...value, custom: { ...value.custom, to: e.target.value } })} data-testid="usage-to" />
        </>
      ) : null}
    </>
  )
}
