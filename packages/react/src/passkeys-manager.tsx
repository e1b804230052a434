'use client'
import type { PasskeySummary } from '@regionless/client'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { errorMessage } from './error-message.js'
import { defaultPasskeysStrings, type PasskeysStrings, type PasskeysStringsInput } from './passkeys-strings.js'
import { mergeStrings } from './strings.js'
import { defaultCss } from './styles.js'
import { usePasskeys } from './use-passkeys.js'

export interface PasskeysProps {
  strings?: PasskeysStringsInput
  /** No default styles: only class names (`rl-*`) remain. */
  unstyled?: boolean
  className?: string
}

/**
 * The signed-in user's passkeys: each with its name, when it was added and
 * last used (and in which region), rename in place, delete after a
 * confirmation, and "Add a passkey". Focus follows each step: into the name
 * field, onto the confirmation, back to the button that started it.
 *
 * @example
 * <RegionlessProvider client={client}><Passkeys /></RegionlessProvider>
 */
export function Passkeys(props: PasskeysProps) {
  const strings: PasskeysStrings = {
    ...defaultPasskeysStrings,
    ...props.strings,
    errors: mergeStrings({ errors: props.strings?.errors }).errors,
  }
  const { passkeys, pending, error, available, add, rename, remove } = usePasskeys()
  const [editing, setEditing] = useState<string | null>(null)
  const [confirming, setConfirming] = useState<string | null>(null)
  const [focus, setFocus] = useState<string | null>(null)
  const id = useId()
  const idOf = (what: string, passkey = '') => `${id}-${what}-${passkey}`
  const busy = pending !== null
  const message = errorMessage(error, mergeStrings({ errors: strings.errors }))

  // Focus moves after the render that shows its target.
  useEffect(() => {
    if (!focus) return
    document.getElementById(focus)?.focus()
    setFocus(null)
  }, [focus])

  const startRename = (p: PasskeySummary) => {
    setConfirming(null)
    setEditing(p.id)
    setFocus(idOf('name', p.id))
  }
  const endRename = (p: PasskeySummary) => {
    setEditing(null)
    setFocus(idOf('rename', p.id))
  }
  const submitRename = async (event: FormEvent<HTMLFormElement>, p: PasskeySummary) => {
    event.preventDefault()
    const name = String(new FormData(event.currentTarget).get('name') ?? '').trim()
    if (!name || name === p.name) return endRename(p)
    if (await rename(p.id, name)) endRename(p)
  }
  const askDelete = (p: PasskeySummary) => {
    setEditing(null)
    setConfirming(p.id)
    setFocus(idOf('confirm', p.id))
  }
  const confirmDelete = async (p: PasskeySummary) => {
    if (await remove(p.id)) {
      setConfirming(null)
      setFocus(idOf('title'))
    }
  }

  const item = (p: PasskeySummary) => (
    <li key={p.id} className="rl-passkey">
      {editing === p.id ? (
        <form onSubmit={(event) => void submitRename(event, p)} className="rl-field">
          <label className="rl-label" htmlFor={idOf('name', p.id)}>
            {strings.nameLabel}
          </label>
          <input
            id={idOf('name', p.id)}
            className="rl-input"
            name="name"
            defaultValue={p.name}
            maxLength={64}
            required
            readOnly={busy}
          />
          <button className="rl-button" type="submit" disabled={busy}>
            {strings.save}
          </button>
          <button className="rl-link-button" type="button" onClick={() => endRename(p)} disabled={busy}>
            {strings.cancel}
          </button>
        </form>
      ) : (
        <strong>{p.name}</strong>
      )}
      <span className="rl-muted">{strings.created(strings.formatDate(p.createdAt))}</span>
      <span className="rl-muted">
        {p.lastUsedAt ? strings.lastUsed(strings.formatDate(p.lastUsedAt), p.lastUsedRegion) : strings.neverUsed}
      </span>
      {confirming === p.id ? (
        <fieldset>
          <legend>{strings.confirmDelete(p.name)}</legend>
          <button
            id={idOf('confirm', p.id)}
            className="rl-button"
            type="button"
            onClick={() => void confirmDelete(p)}
            disabled={busy}
          >
            {strings.delete}
          </button>
          <button
            className="rl-link-button"
            type="button"
            onClick={() => {
              setConfirming(null)
              setFocus(idOf('delete', p.id))
            }}
            disabled={busy}
          >
            {strings.cancel}
          </button>
        </fieldset>
      ) : editing === p.id ? null : (
        <div>
          <button
            id={idOf('rename', p.id)}
            className="rl-link-button"
            type="button"
            aria-label={strings.renameFor(p.name)}
            onClick={() => startRename(p)}
            disabled={busy}
          >
            {strings.rename}
          </button>{' '}
          <button
            id={idOf('delete', p.id)}
            className="rl-link-button"
            type="button"
            aria-label={strings.deleteFor(p.name)}
            onClick={() => askDelete(p)}
            disabled={busy}
          >
            {strings.delete}
          </button>
        </div>
      )}
    </li>
  )

  return (
    <section
      className={['rl-login', 'rl-passkeys', props.className].filter(Boolean).join(' ')}
      aria-labelledby={idOf('title')}
      aria-busy={busy || undefined}
    >
      {props.unstyled ? null : <style>{defaultCss}</style>}
      <h2 id={idOf('title')} tabIndex={-1}>
        {strings.title}
      </h2>
      {available === false ? <p className="rl-muted">{strings.unavailable}</p> : null}
      {message ? (
        <p className="rl-error" role="alert">
          {message}
        </p>
      ) : null}
      {passkeys === null ? (
        pending === 'load' ? (
          <p className="rl-muted" role="status">
            {strings.loading}
          </p>
        ) : null
      ) : passkeys.length ? (
        <ul aria-labelledby={idOf('title')}>{passkeys.map(item)}</ul>
      ) : (
        <p className="rl-muted">{strings.empty}</p>
      )}
      {available ? (
        <button className="rl-button" type="button" onClick={() => void add()} disabled={busy}>
          {pending === 'add' ? strings.waitingForPasskey : strings.add}
        </button>
      ) : null}
    </section>
  )
}
