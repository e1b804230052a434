import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { PasskeyHttpHandler } from '@regionless/backend'
import { createVerifier, type Jwks } from '@regionless/verifier'
import type { AccountDeletion } from './account-deletion.js'

export interface PoolInfo {
  region: string
  userPoolId: string
  clientId: string
  issuer: string
  jwksUri: string
}

export interface ExampleApiOptions {
  /** The region this API instance stands for. */
  region: string
  /** Every pool whose tokens this API accepts, each with its JWKS snapshot. */
  pools: Array<PoolInfo & { jwks: Jwks }>
  port?: number
  /** Browser origins allowed to call the API (CORS). */
  allowedOrigins?: string[]
  /** Enables `DELETE /me`: the signed-in user deletes their account in every region. */
  accountDeletion?: AccountDeletion
  /** Serves `/passkeys…` (registration, the owner's list, rename, delete, the autofill challenge). */
  passkeys?: PasskeyHttpHandler
}

/**
 * A tiny API for one region. It verifies access tokens of every pool from
 * JWKS snapshots taken at start, so it keeps accepting tokens of a region
 * that has since gone down: the point of the demo.
 */
export async function startExampleApi(
  options: ExampleApiOptions,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const verifier = createVerifier({
    tokenUse: 'access',
    pools: options.pools.map((pool) => ({
      userPoolId: pool.userPoolId,
      clientId: pool.clientId,
      region: pool.region,
      issuer: pool.issuer,
      jwksUri: pool.jwksUri,
      jwks: pool.jwks,
    })),
  })
  const allowed = new Set(options.allowedOrigins ?? [])

  const server = createServer(async (req, res) => {
    const origin = req.headers.origin
    if (origin && (allowed.has(origin) || allowed.has('*'))) {
      res.setHeader('access-control-allow-origin', origin)
      res.setHeader('access-control-allow-headers', 'authorization, content-type')
      res.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS')
      res.setHeader('vary', 'origin')
    }
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))

    if (req.url === '/health') return json(200, { region: options.region, ok: true })
    const path = (req.url ?? '/').split('?')[0] as string
    if (path === '/passkeys' || path.startsWith('/passkeys/')) return passkeyRoute(req, res, path, json)
    const deleting = req.url === '/me' && req.method === 'DELETE'
    if (req.url !== '/whoami' && !deleting) return json(404, { error: 'not_found' })
    if (deleting && !options.accountDeletion) return json(501, { error: 'account_deletion_not_configured' })

    const header = req.headers.authorization ?? ''
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
    if (!token) {
      return json(401, { error: 'missing_token' }, { 'www-authenticate': 'Bearer realm="regionless-example"' })
    }
    let who: Awaited<ReturnType<typeof verifier.verify>>
    try {
      who = await verifier.verify(token)
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'INVALID_TOKEN'
      // The reason is logged, never the token.
      console.warn(`[api ${options.region}] rejected a token: ${code}`)
      return json(401, { error: 'invalid_token', reason: code }, { 'www-authenticate': 'Bearer error="invalid_token"' })
    }
    if (deleting && options.accountDeletion) {
      const { confirmToken, deleteAccount } = options.accountDeletion
      try {
        // Offline checks cannot see a sign-out: the issuing pool confirms the token before anything changes.
        const verdict = await confirmToken(token, { userPoolId: who.userPoolId })
        if (!verdict.active || verdict.username !== who.username) {
          return json(
            401,
            { error: 'token_revoked', message: 'This access token was revoked or signed out: sign in again.' },
            { 'www-authenticate': 'Bearer error="invalid_token"' },
          )
        }
      } catch (err) {
        console.error(`[api ${options.region}] could not confirm a token: ${(err as Error).message}`)
        return json(503, { error: 'try_again' }, { 'retry-after': '5' })
      }
      try {
        // The username comes from the verified token, never from the request.
        const result = await deleteAccount(who.username)
        return json(200, { deleted: result?.deleted, absent: result?.absent, queued: result?.queued })
      } catch (err) {
        console.error(`[api ${options.region}] account deletion failed: ${(err as Error).message}`)
        return json(503, { error: 'try_again' }, { 'retry-after': '5' })
      }
    }
    return json(200, {
      userId: who.userId,
      apiRegion: options.region,
      tokenRegion: who.region,
      issuer: who.issuer,
    })
  })

  // The passkey routes: a token, when sent, must verify (its username is the only one used); only
  // `POST /passkeys/challenge` (a usernameless sign-in's challenge) is served without one.
  async function passkeyRoute(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    json: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ) {
    if (!options.passkeys) return json(501, { error: 'passkeys_not_configured', message: 'Passkeys are off' })
    const header = req.headers.authorization ?? ''
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
    let username: string | undefined
    if (token) {
      try {
        username = (await verifier.verify(token)).username
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'INVALID_TOKEN'
        console.warn(`[api ${options.region}] rejected a token: ${code}`)
        return json(
          401,
          { error: 'unauthorized', message: 'Sign in again' },
          { 'www-authenticate': 'Bearer error="invalid_token"' },
        )
      }
    }
    const body = await readText(req)
    const answer = await options.passkeys({ method: req.method ?? 'GET', path, body, username })
    if (answer.status === 204) return void res.writeHead(204).end()
    return json(answer.status, answer.body)
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  }
}

/** Reads the emulator's configuration and a JWKS snapshot of every pool. */
export async function loadPoolsFromEmulator(controlUrl: string): Promise<ExampleApiOptions['pools']> {
  const config = (await (await fetch(new URL('/_regionless/config', controlUrl))).json()) as { regions: PoolInfo[] }
  return Promise.all(
    config.regions.map(async (pool) => ({
      ...pool,
      jwks: (await (await fetch(pool.jwksUri)).json()) as Jwks,
    })),
  )
}

/** A request body as text, at most 64 KiB (a passkey response is a few KiB). */
async function readText(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > 65_536) return undefined
    chunks.push(chunk as Buffer)
  }
  return chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined
}
