import { PasswordlessLogin, useApiCall, useAuth } from '@regionless/react'
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
  const { state, client } = useAuth()
  const session = state.session
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
          {session ? (
            <div className="signed-in">
              <p>
                <strong>Signed in as {session.email}</strong>
              </p>
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
              <button type="button" onClick={() => client.signOut()}>
                Sign out
              </button>
            </div>
          ) : (
            <PasswordlessLogin />
          )}
        </section>
        <FaultPanel regions={config.regions.map((r) => r.region)} />
      </div>
    </main>
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
