// Dotted paths (`links.ttlSeconds`) into plain objects: how the tables name a field of the handler
// options, the deploy config or the emulator config.

/**
 * The value at `path`, or undefined when a step is missing. A step that is there but is not an object
 * is reported through `notAnObject(pathSoFar)` (a config file's `"links": "x"`).
 */
export function getPath(root: unknown, path: string, notAnObject?: (at: string) => never): unknown {
  let value = root
  const steps = path.split('.')
  for (const [i, step] of steps.entries()) {
    if (value === undefined) return undefined
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      if (notAnObject && i > 0) notAnObject(steps.slice(0, i).join('.'))
      return undefined
    }
    value = (value as Record<string, unknown>)[step]
  }
  return value
}

/** Sets `path` in `root`, creating the objects on the way. */
export function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const steps = path.split('.')
  const last = steps.pop() as string
  let target = root
  for (const step of steps) {
    const next = target[step]
    if (typeof next !== 'object' || next === null) target[step] = {}
    target = target[step] as Record<string, unknown>
  }
  target[last] = value
}
