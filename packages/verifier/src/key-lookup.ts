import type { KeyObject } from 'node:crypto'
import type { TrustedIssuer } from './config.js'
import { TokenError } from './errors.js'

/**
 * The key for `kid` among the keys of this issuer only, without I/O. A kid of another pool is never looked
 * up, so pool A's key cannot vouch for a token that claims pool B's issuer.
 */
export function findKey(trusted: TrustedIssuer, kid: string): KeyObject | undefined {
  for (const source of trusted.sources) {
    const key = source.keyFor(kid)
    if (key) return key
  }
  return undefined
}

/**
 * Refreshes every key source of the issuer at once (replicas may list one per region) and resolves with
 * the first that knows `kid`. A source that is down or slow does not hold back one that answers.
 */
export function loadKey(trusted: TrustedIssuer, kid: string): Promise<KeyObject> {
  return new Promise((resolve, reject) => {
    let pending = trusted.sources.length
    let settled = false
    const errors: TokenError[] = []
    const done = () => {
      if (settled || --pending > 0) return
      settled = true
      if (errors.length === trusted.sources.length && errors[0]) return reject(errors[0])
      reject(
        new TokenError('KID_UNKNOWN', `no key ${kid} among the keys of ${trusted.issuer}`, {
          expected: trusted.sources.flatMap((source) => source.knownKids()),
          found: kid,
        }),
      )
    }
    for (const source of trusted.sources) {
      source.refresh().then(
        () => {
          if (settled) return
          try {
            const key = source.keyFor(kid)
            if (key) {
              settled = true
              return resolve(key)
            }
          } catch (error) {
            errors.push(error as TokenError)
          }
          done()
        },
        (error: TokenError) => {
          errors.push(error)
          done()
        },
      )
    }
  })
}
