import { type KeyObject, verify as verifySignature } from 'node:crypto'
import { signatureParts } from './base64url.js'
import { checkCognitoClaims, checkTimes, readTimes, type TokenTimes } from './claims.js'
import { resolveConfig, type TokenUse, type TrustedIssuer, type VerifierOptions } from './config.js'
import { TokenError } from './errors.js'
import { bearerToken } from './http-answer.js'
import { decodeJsonObject } from './json-object.js'
import { findKey, loadKey } from './key-lookup.js'
import { createBoundedCache } from './lru-cache.js'
import { type JwtSegments, splitJwt } from './parse-jwt.js'

/** Who a valid token speaks for. `userId` is the same in every pool; `sub` (in `claims`) is not. */
export interface VerifiedToken {
  /** Stable across pools and regions: the Cognito username, which Regionless derives from the email. */
  userId: string
  username: string
  /** Present on ID tokens (access tokens carry no email). */
  email?: string
  tokenUse: TokenUse
  issuer: string
  userPoolId: string
  /** The region of the first configured entry that accepts the token's app client. */
  region: string
  /** Every claim of the token, frozen. */
  claims: Readonly<Record<string, unknown>>
}

export interface Verifier {
  /** Verifies a token; rejects with a TokenError naming the reason. Downloads keys only when it must. */
  verify(token: string): Promise<VerifiedToken>
  /**
   * Verifies without any I/O: works when the keys are already known (snapshot, or an earlier download);
   * otherwise throws TokenError `KID_UNKNOWN`.
   */
  verifySync(token: string): VerifiedToken
  /**
   * Verifies the Bearer token of a fetch-style `Request` (Hono, Next.js route handlers, Workers); rejects with
   * `TOKEN_MISSING` when there is none. Answer a rejection with `unauthorizedResponse(error)`.
   */
  verifyRequest(request: { headers: { get(name: string): string | null } }): Promise<VerifiedToken>
  /** Downloads every pool's JWKS that may be downloaded, so the first request does not wait. Never rejects. */
  preload(): Promise<Array<{ jwksUri: string; error?: TokenError }>>
}

interface Prepared {
  token: string
  segments: JwtSegments
  kid: string
  payload: Record<string, unknown>
  trusted: TrustedIssuer
}

/**
 * A cache entry is small on purpose: a first-seen token stores its validity window and issuer only, and the
 * full result is built on the first repeat. Retaining every first-seen result (claims and all) would make the
 * garbage collector copy about 1 kB per token, a cost paid by tokens that may never come back.
 */
interface CachedResult extends TokenTimes {
  trusted: TrustedIssuer
  result: VerifiedToken | undefined
}

/** Bounded so a stream of random headers cannot grow it; headers repeat (one per key), so it stays tiny. */
const HEADER_CACHE_MAX = 64

function freezeClaims(payload: Record<string, unknown>): Readonly<Record<string, unknown>> {
  for (const key in payload) {
    const value = payload[key]
    if (typeof value === 'object' && value !== null) Object.freeze(value)
  }
  return Object.freeze(payload)
}

/**
 * Creates a verifier for Cognito tokens from every configured pool (regional pools and replicas).
 *
 * @example
 * const verifier = createVerifier({
 *   pools: [
 *     { userPoolId: 'eu-west-1_AbC', clientId: '1example23456789' },
 *     { userPoolId: 'us-east-1_XyZ', clientId: '9example87654321' },
 *   ],
 *   tokenUse: 'access',
 * })
 * const { userId } = await verifier.verify(token)
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const config = resolveConfig(options)
  const { issuers, clock, clockSkewSeconds: skew, maxTokenBytes } = config
  const cache = createBoundedCache<CachedResult>(config.cacheMax)
  const headers = new Map<string, string>()
  const trustedList = [...issuers.keys()]

  /** Returns the kid of a header segment already proven acceptable, or checks a new one. */
  function kidOf(segment: string): string {
    const known = headers.get(segment)
    if (known !== undefined) return known
    const header = decodeJsonObject(segment, 'header')
    // RS256 only: `none` and HMAC (which would use the public key as a shared secret) never reach a key.
    if (header.alg !== 'RS256') {
      throw new TokenError('ALG_NOT_ALLOWED', `alg ${String(header.alg)} is not accepted`, {
        expected: 'RS256',
        found: header.alg,
      })
    }
    if (header.crit !== undefined) throw new TokenError('TOKEN_MALFORMED', 'header has "crit" extensions')
    if (typeof header.kid !== 'string') throw new TokenError('KID_MISSING', 'header has no kid', { found: header.kid })
    if (headers.size >= HEADER_CACHE_MAX) headers.clear()
    headers.set(segment, header.kid)
    return header.kid
  }

  function fromCache(token: string): VerifiedToken | undefined {
    const hit = cache.get(token)
    if (hit === undefined) return undefined
    try {
      checkTimes(hit, clock() / 1000, skew)
    } catch (error) {
      cache.delete(token)
      throw error
    }
    if (hit.result === undefined) {
      // Signature and claims were checked when the token was first seen; only the result is rebuilt.
      const payload = decodeJsonObject(token.slice(token.indexOf('.') + 1, token.lastIndexOf('.')), 'payload')
      hit.result = buildResult(payload, hit.trusted)
    }
    return hit.result
  }

  function buildResult(payload: Record<string, unknown>, trusted: TrustedIssuer): VerifiedToken {
    const { entry, tokenUse, username } = checkCognitoClaims(payload, trusted, config)
    const result: VerifiedToken = {
      userId: username,
      username,
      tokenUse,
      issuer: trusted.issuer,
      userPoolId: trusted.userPoolId,
      region: entry.region,
      claims: freezeClaims(payload),
    }
    if (tokenUse === 'id' && typeof payload.email === 'string') result.email = payload.email
    return Object.freeze(result)
  }

  function prepare(token: string): Prepared {
    const segments = splitJwt(token, maxTokenBytes)
    const kid = kidOf(segments.header)
    const payload = decodeJsonObject(segments.payload, 'payload')
    const iss = payload.iss
    const trusted = typeof iss === 'string' ? issuers.get(iss) : undefined
    if (!trusted) {
      throw new TokenError('ISSUER_NOT_TRUSTED', `issuer ${String(iss)} is not one of the configured pools`, {
        expected: trustedList,
        found: iss,
      })
    }
    return { token, segments, kid, payload, trusted }
  }

  function finish(prepared: Prepared, key: KeyObject): VerifiedToken {
    const { token, segments, payload, trusted } = prepared
    const { data, sig } = signatureParts(token, segments.signingEnd, segments.signature)
    if (!verifySignature('RSA-SHA256', data, key, sig)) {
      throw new TokenError('SIGNATURE_INVALID', `signature does not match key ${prepared.kid} of ${trusted.issuer}`)
    }
    const { exp, nbf, iat } = readTimes(payload)
    const entry: CachedResult = { exp, nbf, iat, trusted, result: undefined }
    checkTimes(entry, clock() / 1000, skew)
    const result = buildResult(payload, trusted)
    cache.insert(token, entry)
    return result
  }

  function verify(token: string): Promise<VerifiedToken> {
    try {
      const cached = fromCache(token)
      if (cached) return Promise.resolve(cached)
      const prepared = prepare(token)
      const key = findKey(prepared.trusted, prepared.kid)
      if (key) return Promise.resolve(finish(prepared, key))
      return loadKey(prepared.trusted, prepared.kid).then((loaded) => finish(prepared, loaded))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  return {
    verify,
    verifySync(token) {
      const cached = fromCache(token)
      if (cached) return cached
      const prepared = prepare(token)
      const key = findKey(prepared.trusted, prepared.kid)
      if (!key) {
        throw new TokenError('KID_UNKNOWN', `key ${prepared.kid} of ${prepared.trusted.issuer} is not loaded`, {
          found: prepared.kid,
        })
      }
      return finish(prepared, key)
    },
    verifyRequest(request) {
      try {
        return verify(bearerToken(request.headers.get('authorization')))
      } catch (error) {
        return Promise.reject(error)
      }
    },
    async preload() {
      const sources = new Set([...issuers.values()].flatMap((trusted) => trusted.sources))
      return Promise.all(
        [...sources].map((source) =>
          source.refresh().then(
            () => ({ jwksUri: source.jwksUri }),
            (error: TokenError) => ({ jwksUri: source.jwksUri, error }),
          ),
        ),
      )
    },
  }
}
