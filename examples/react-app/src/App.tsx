import type { Session } from '@regionless/client'
import { Passkeys, PasswordlessLogin, useApiCall, useAuth } from '@regionless/react'
import { useState } from 'react'
import { FaultPanel } from './FaultPanel.js'

export interface DemoConfig {
  topology: 'pools' | 'replicas'
  homeRegion?: string
  controlUrl: string
  regions: Array<{ region: string; userPoolId: string; clientId: string; endpoint: string; apiUrl?: string }>
}

interface WhoAmI {
  userId: string
  apiRegion: string
  tokenRegion: string
}

export function App({ config }: { config: DemoConfig }) {
  const { state } = useAuth()
  const session = state.session
  const [deleted, setDeleted] = useState(false)
  return (
    <main>
      <header>
        <h1>Regionless demo</h1>
        <p className="muted">
          Passwordless sign-in on two regions. Take a region down on the right and sign in anyway.{' '}
          <a href={`${config.controlUrl}/inbox`} target="_blank" rel="noreferrer">
            Open the inbox
          </a>
        </p>
      </header>
      <div className="columns">
        <section className="card" aria-label="Account">
          {deleted && !session && (
            <p role="status" className="notice">
              Your account was deleted from every region.
            </p>
          )}
          {/* Signed in, the login shows "Signed in as …", the "add a passkey?" prompt after a code or
              link sign-in, then what renderSignedIn adds. */}
          <PasswordlessLogin
            renderSignedIn={(signedIn) => (
              <SignedIn config={config} session={signedIn} onDeleted={() => setDeleted(true)} />
            )}
          />
          {!session && /^[\d.]+$|^\[/.test(location.hostname) && (
            <p className="muted">
              Passkeys need a domain name: open{' '}
              <a href={location.href.replace(location.hostname, 'localhost')}>this page on localhost</a> to use them.
            </p>
          )}
        </section>
        <FaultPanel regions={config.regions.map((r) => r.region)} />
      </div>
    </main>
  )
}

/** What the demo shows under "Signed in as …": where the session is, the APIs, passkeys, sign-out. */
function SignedIn(props: { config: DemoConfig; session: Session; onDeleted: () => void }) {
  const { config, session } = props
  const { state, client } = useAuth()
  return (
    <div className="signed-in">
      <dl>
        <dt>User id</dt>
        <dd data-testid="user-id">{session.userId}</dd>
        <dt>Signed in through</dt>
        <dd data-testid="session-region">{session.region}</dd>
        <dt>Region in use</dt>
        <dd data-testid="current-region">{state.region}</dd>
      </dl>
      <div className="api-buttons">
        {config.regions.map((r) => (
          <ApiButton key={r.region} region={r.region} apiUrl={r.apiUrl} />
        ))}
      </div>
      <Passkeys />
      <button type="button" onClick={() => client.signOut()}>
        Sign out
      </button>
      <DeleteAccount onDeleted={props.onDeleted} />
    </div>
  )
}

function ApiButton({ region, apiUrl }: { region: string; apiUrl: string | undefined }) {
  const [call, run] = useApiCall<WhoAmI>()
  if (!apiUrl) return null
  return (
    <div className="api-call">
      <button type="button" onClick={() => run((api) => api.get(`${apiUrl}/whoami`).json<WhoAmI>())}>
        Call {region} API
      </button>
      <output aria-live="polite" data-testid={`api-${region}`}>
        {call.loading
          ? 'Calling…'
          : call.error
            ? `Failed: ${(call.error as Error).message}`
            : call.data
              ? JSON.stringify(call.data, null, 2)
              : ''}
      </output>
    </div>
  )
}

/**
 * `DELETE /me` on whichever region's API is healthy (useApi() routes and
 * fails over); the API deletes the account from every region's pool. Then the
 * session is dropped here.
 */
function DeleteAccount({ onDeleted }: { onDeleted: () => void }) {
  const { client } = useAuth()
  const [confirming, setConfirming] = useState(false)
  const [call, run] = useApiCall<unknown>()
  if (!confirming) {
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Delete my account
      </button>
    )
  }
  const remove = async () => {
    const result = await run((api) => api.delete('me').json())
    if (result === undefined) return
    onDeleted()
    await client.signOut()
  }
  return (
    <fieldset className="confirm">
      <legend>Delete my account</legend>
      <p>This deletes your account in every region. It cannot be undone.</p>
      <button type="button" className="danger" disabled={call.loading} onClick={remove}>
        {call.loading ? 'Deleting…' : 'Delete it'}
      </button>
      <button type="button" disabled={call.loading} onClick={() => setConfirming(false)}>
        Keep it
      </button>
      {call.error ? (
        <p role="alert">Could not delete the account: {(call.error as Error).message}. Try again.</p>
      ) : null}
    </fieldset>
  )
}
