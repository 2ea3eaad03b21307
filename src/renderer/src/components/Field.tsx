import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react'
import { wholeNumberProblem } from '../i18n/numbers'
import { useLocale } from '../i18n/useT'

interface FieldFrameProps {
  label: string
  hint?: string
  error?: string
  children: (ids: { id: string; describedBy: string | undefined }) => ReactNode
}

/** Label, control, hint and error wired together, so every input is announced with its problem. */
function FieldFrame({ label, hint, error, children }: FieldFrameProps) {
  const id = useId()
  const hintId = hint ? `${id}-hint` : undefined
  const errorId = error ? `${id}-error` : undefined
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children({ id, describedBy })}
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
    </div>
  )
}

export type TextFieldProps = { label: string; hint?: string; error?: string } & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>

export function TextField({ label, hint, error, ...input }: TextFieldProps) {
  return (
    <FieldFrame label={label} hint={hint} error={error}>
      {({ id, describedBy }) => <input id={id} className="input" aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />}
    </FieldFrame>
  )
}

type WholeNumberFieldProps = Omit<TextFieldProps, 'type' | 'inputMode' | 'value'> & { value: string }

/**
 * Every whole-number input in the console: plain text (a number input reads "4.000" as four in
 * every language and "4,000" as nothing), which the form reads with wholeNumberOf in the chosen
 * language. When the form finds it invalid, it first says whether it is a whole number at all
 * ("1,5", or the other language's "4.000"), then the form's own rule.
 */
export function WholeNumberField({ error, value, ...field }: WholeNumberFieldProps) {
  const locale = useLocale()
  return <TextField {...field} value={value} inputMode="numeric" error={error ? (wholeNumberProblem(value, locale) ?? error) : undefined} />
}

type SelectFieldProps = { label: string; hint?: string; error?: string; options: { value: string; label: string }[] } & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'>

export function SelectField({ label, hint, error, options, ...select }: SelectFieldProps) {
  return (
    <FieldFrame label={label} hint={hint} error={error}>
      {({ id, describedBy }) => (
        <select id={id} className="input" aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...select}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  )
}
