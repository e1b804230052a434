/**
 * What a Cognito contract compares: the answer's HTTP status, Cognito's error
 * name and message, and the shape of the body (its key paths), never the values
 * a fake is free to make up (tokens, sessions, dates, codes).
 *
 * A scenario's `expect` names only what it holds a fake to: leave `message`
 * out where no client matches on it, `keys` out where the shape does not matter.
 */
export interface Outcome {
  status: number
  /** Cognito's `__type` without the Coral namespace (`UnknownOperationException`); absent on success. */
  type?: string
  message?: string
  /** Every key path of the body, sorted: `AuthenticationResult.IdToken`; members of a list as `Users[].Username`. */
  keys?: string[]
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)

/** The key paths of a JSON-like value, sorted and without duplicates (list members merged). */
export function keyPaths(value: unknown, prefix = ''): string[] {
  const paths = new Set<string>()
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, `${at}[]`)
      return
    }
    if (!isRecord(node)) return
    for (const [key, child] of Object.entries(node)) {
      if (child === undefined) continue
      const path = at ? `${at}.${key}` : key
      paths.add(path)
      walk(child, path)
    }
  }
  walk(value, prefix)
  return [...paths].sort()
}

/** The outcome of a JSON-protocol answer: `{ __type, message }` bodies are errors, anything else a result. */
export function wireOutcome(answer: { status: number; body: Record<string, unknown> }): Outcome {
  const { __type, message, ...rest } = answer.body
  if (typeof __type === 'string') {
    return { status: answer.status, type: __type.slice(__type.indexOf('#') + 1), message: String(message ?? '') }
  }
  return { status: answer.status, keys: keyPaths(rest) }
}

/** `actual` cut down to what `expected` names, so `toEqual(expected)` checks exactly that. */
export function asExpected(actual: Outcome, expected: Outcome): Outcome {
  return {
    status: actual.status,
    ...((expected.type !== undefined || actual.type !== undefined) && { type: actual.type }),
    ...(expected.message !== undefined && { message: actual.message }),
    ...(expected.keys !== undefined && { keys: actual.keys }),
  }
}
