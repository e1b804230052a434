// Used by bundle.test.ts to show that a Node built-in breaks the browser build.
import { createHash } from 'node:crypto'

export const hash = (s: string) => createHash('sha256').update(s).digest('hex')
