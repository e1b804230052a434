import { randomUUID } from 'node:crypto'

/** The message shape of `@regionless/backend`'s EmailSender, plus Cognito's own mails. */
export interface InboxMessage {
  to: string
  subject: string
  text: string
  html: string
  /** `code` and `link` come from the sign-in triggers; `confirmation`/`invitation` from the pool itself. */
  kind: 'code' | 'link' | 'confirmation' | 'invitation' | 'verification'
  code?: string
  link?: string
  region: string
}

export interface InboxEntry extends InboxMessage {
  id: string
  /** ISO-8601 time the message was sent. */
  sentAt: string
}

/**
 * Every email the emulator sends lands here instead of a mailbox.
 * `senderFor(region)` is an EmailSender for that region's triggers.
 */
export function createInbox(options: { now: () => number; log?: (line: string) => void; inboxUrl?: () => string }) {
  const entries: InboxEntry[] = []
  const waiters = new Set<() => void>()

  const deliver = async (message: InboxMessage) => {
    const entry: InboxEntry = { id: randomUUID(), ...message, sentAt: new Date(options.now()).toISOString() }
    entries.unshift(entry)
    for (const wake of [...waiters]) wake()
    // The code and link are secrets: the log says where to read them, never what they are.
    const where = options.inboxUrl ? ` → ${options.inboxUrl()}` : ''
    options.log?.(`[email] ${message.region} ${message.kind} mail to ${message.to}: "${message.subject}"${where}`)
  }

  return {
    deliver,
    senderFor: (region: string) => ({
      send: (message: Omit<InboxMessage, 'region'> & { region?: string }) =>
        deliver({ ...message, region: message.region ?? region }),
    }),
    /** Newest first. */
    list: (): InboxEntry[] => entries.map((e) => ({ ...e })),
    clear: () => {
      entries.length = 0
    },
    /**
     * Resolves with the entries `select` picks as soon as there are any, or
     * with `[]` after `timeoutMs`: tests await an email instead of polling.
     */
    waitFor(select: (entries: InboxEntry[]) => InboxEntry[], timeoutMs: number): Promise<InboxEntry[]> {
      const now = select(entries.map((e) => ({ ...e })))
      if (now.length || timeoutMs <= 0) return Promise.resolve(now)
      return new Promise((resolve) => {
        const done = (result: InboxEntry[]) => {
          clearTimeout(timer)
          waiters.delete(wake)
          resolve(result)
        }
        const wake = () => {
          const hit = select(entries.map((e) => ({ ...e })))
          if (hit.length) done(hit)
        }
        const timer = setTimeout(() => done([]), timeoutMs)
        waiters.add(wake)
      })
    },
  }
}

export type Inbox = ReturnType<typeof createInbox>
