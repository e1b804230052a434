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

  const deliver = async (message: InboxMessage) => {
    const entry: InboxEntry = { id: randomUUID(), ...message, sentAt: new Date(options.now()).toISOString() }
    entries.unshift(entry)
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
  }
}

export type Inbox = ReturnType<typeof createInbox>
