import type { LoginStrings } from './strings.js'

/** Every string `<Passkeys/>` shows; pass a partial object to replace some or all. */
export interface PasskeysStrings {
  title: string
  loading: string
  empty: string
  /** The client has no `passkeys()` plugin, or this browser no WebAuthn. */
  unavailable: string
  add: string
  waitingForPasskey: string
  created: (date: string) => string
  lastUsed: (date: string, region?: string) => string
  neverUsed: string
  rename: string
  /** The accessible name of a passkey's rename button. */
  renameFor: (name: string) => string
  nameLabel: string
  save: string
  cancel: string
  delete: string
  deleteFor: (name: string) => string
  confirmDelete: (name: string) => string
  formatDate: (iso: string) => string
  /** Error messages, shared with `<PasswordlessLogin/>` (`PASSKEY_NOT_FOUND`, `PASSKEY_EXISTS`…). */
  errors: LoginStrings['errors']
}

export type PasskeysStringsInput = Partial<Omit<PasskeysStrings, 'errors'>> & {
  errors?: Partial<LoginStrings['errors']>
}

export const defaultPasskeysStrings: Omit<PasskeysStrings, 'errors'> = {
  title: 'Passkeys',
  loading: 'Loading your passkeys…',
  empty: 'You have no passkeys yet.',
  unavailable: 'Passkeys are not available in this browser.',
  add: 'Add a passkey',
  waitingForPasskey: 'Waiting for your passkey…',
  created: (d) => `Added ${d}`,
  lastUsed: (d, region) => (region ? `Last used ${d} (${region})` : `Last used ${d}`),
  neverUsed: 'Never used',
  rename: 'Rename',
  renameFor: (name) => `Rename ${name}`,
  nameLabel: 'Passkey name',
  save: 'Save',
  cancel: 'Cancel',
  delete: 'Delete',
  deleteFor: (name) => `Delete ${name}`,
  confirmDelete: (name) => `Delete “${name}”? You will no longer be able to sign in with it.`,
  formatDate: (iso) => {
    const date = new Date(iso)
    return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(date)
  },
}
