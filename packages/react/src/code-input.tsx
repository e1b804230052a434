'use client'
import { type ChangeEvent, type ClipboardEvent, type Ref, useId } from 'react'

export interface CodeInputProps {
  /** The field's id (to point at it from elsewhere). Default: a generated one. */
  id?: string
  value: string
  onChange(value: string): void
  /** Called once the last digit is in, typed, pasted or autofilled. */
  onComplete(code: string): void
  length?: number
  label: string
  /** Verifying: the field keeps its focus and its value, but takes no typing. */
  busy?: boolean
  invalid?: boolean
  describedBy?: string
  inputRef?: Ref<HTMLInputElement>
}

/** Keeps digits only, so a pasted "123 456" or "Code: 123456" becomes the code. */
export function digitsOnly(value: string, length: number): string {
  return value.replace(/\D/g, '').slice(0, length)
}

/**
 * The code in a text: a run of exactly `length` digits (spaces or dashes
 * between groups allowed, as in "189 237" or "189-237") wins over other
 * numbers in the text; otherwise every digit, up to `length`.
 *
 * @example
 * extractCode('Your sign-in code is 189237.', 6) // '189237'
 */
export function extractCode(text: string, length: number): string {
  for (const run of text.match(/\d(?:[ \-\u00a0]?\d)*/g) ?? []) {
    const digits = run.replace(/\D/g, '')
    if (digits.length === length) return digits
  }
  return digitsOnly(text, length)
}

/**
 * One field, not one box per digit: it works with the OS's one-time-code
 * autofill, with paste, with screen readers and with the keyboard alone. No
 * `maxLength`: it would cut a pasted sentence before its digits are found.
 * Never `disabled` (that drops focus to the page): `readOnly` while verifying.
 */
export function CodeInput({
  id: givenId,
  value,
  onChange,
  onComplete,
  length = 6,
  label,
  busy,
  invalid,
  describedBy,
  inputRef,
}: CodeInputProps) {
  const ownId = useId()
  const id = givenId ?? ownId
  const accept = (next: string) => {
    onChange(next)
    if (next.length === length && next !== value) onComplete(next)
  }
  const change = (event: ChangeEvent<HTMLInputElement>) => accept(extractCode(event.target.value, length))
  const paste = (event: ClipboardEvent<HTMLInputElement>) => {
    const code = extractCode(event.clipboardData.getData('text'), length)
    // A whole code replaces the field; a part is pasted where the caret is, and `change` keeps its digits.
    if (code.length !== length || busy) return
    event.preventDefault()
    accept(code)
  }
  return (
    <div className="rl-field">
      <label className="rl-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        ref={inputRef}
        className="rl-input rl-code"
        name="code"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern={`[0-9]{${length}}`}
        value={value}
        onChange={change}
        onPaste={paste}
        readOnly={busy}
        aria-busy={busy || undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        required
      />
    </div>
  )
}
