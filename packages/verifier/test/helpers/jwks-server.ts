// A real HTTP server on 127.0.0.1:0 that serves JWKS documents (or misbehaves on purpose) and counts requests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Route = (req: IncomingMessage, res: ServerResponse) => void

export interface JwksServer {
  url: (path: string) => string
  /** Requests seen per path. */
  hits: Map<string, number>
  route(path: string, handler: Route): void
  close(): Promise<void>
}

export async function startJwksServer(): Promise<JwksServer> {
  const routes = new Map<string, Route>()
  const hits = new Map<string, number>()
  const server = createServer((req, res) => {
    const path = req.url ?? '/'
    hits.set(path, (hits.get(path) ?? 0) + 1)
    const handler = routes.get(path)
    if (handler) return handler(req, res)
    res.statusCode = 404
    res.end('not found')
  })
  // Longer than any test: a kept-alive socket closed by the server mid-test would make results depend on timing.
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits,
    route: (path, handler) => routes.set(path, handler),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Serves `body()` as JSON on each request (the function is called per request, so rotations show). */
export const json =
  (body: () => unknown): Route =>
  (_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(body()))
  }
