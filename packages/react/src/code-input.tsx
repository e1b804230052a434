'use client'
import { type ChangeEvent, useId } from 'react'

export interface CodeInputProps {
  value: string
  onChange(value: string): void
  /** Called once the last digit is in, typed, pasted or autofilled. */
  onComplete(code: string): void
  length?: number
  label: string
  disabled?: boolean
  describedBy?: string
  autoFocus?: boolean
}

/** Keeps digits only, so a pasted "123 456" or "Code: 123456" becomes the code. */
export function digitsOnly(value: string, length: number): string {
  return value.replace(/\D/g, '').slice(0, length)
}

/**
 * One field, not one box per digit: it works with the OS's one-time-code
 * autofill, with paste, with screen readers and with the keyboard alone.
 */
export function CodeInput({
  value,
  onChange,
  onComplete,
  length = 6,
  label,
  disabled,
  describedBy,
  autoFocus,
}: CodeInputProps) {
  const id = useId()
  const change = (event: ChangeEvent<HTMLInputElement>) => {
    const next = digitsOnly(event.target.value, length)
    onChange(next)
    if (next.length === length && next !== value) onComplete(next)
  }
  return (
    <div className="rl-field">
      <label className="rl-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="rl-input rl-code"
        name="code"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern={`[0-9]{${length}}`}
        maxLength={length + 8}
        value={value}
        onChange={change}
        disabled={disabled}
        aria-describedby={describedBy}
        // biome-ignore lint/a11y/noAutofocus: the code field is the only thing to do on this step
        autoFocus={autoFocus}
        required
      />
    </div>
  )
}
