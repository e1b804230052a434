const ADDRESS = /^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$/

/**
 * The address of `no-reply@example.com` or of `Sign-in <no-reply@example.com>` (SES accepts a display
 * name), or undefined when the value is neither.
 */
export function emailAddressOf(value: string): string | undefined {
  const named = /^[^<>]*<([^<>]+)>$/.exec(value)
  const address = named ? (named[1] as string) : value
  return ADDRESS.test(address) ? address : undefined
}
