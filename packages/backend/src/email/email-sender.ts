import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'

/** One email as the triggers hand it over. `code`/`link` let a test inbox read them without parsing. */
export interface EmailMessage {
  to: string
  subject: string
  text: string
  html: string
  kind: 'code' | 'link'
  code?: string
  link?: string
  region?: string
}

/** Delivers emails: SES in AWS, the emulator's inbox locally, a spy in tests. */
export interface EmailSender {
  send(message: EmailMessage): Promise<void>
}

export interface SesEmailSenderOptions {
  client: SESv2Client
  /** A verified SES identity, e.g. `Sign-in <no-reply@example.com>`. */
  from: string
  configurationSetName?: string | undefined
}

/**
 * An {@link EmailSender} over SES v2 `SendEmail`, with text and HTML parts in UTF-8.
 * Pass a client for the region the trigger runs in, so email keeps flowing
 * when another region is down.
 *
 * @example
 * const email = createSesEmailSender({ client: new SESv2Client({}), from: 'no-reply@example.com' })
 */
export function createSesEmailSender(options: SesEmailSenderOptions): EmailSender {
  if (!options?.client) throw new TypeError('createSesEmailSender needs an SESv2Client')
  if (typeof options.from !== 'string' || !options.from.includes('@')) {
    throw new TypeError('createSesEmailSender needs a from address')
  }
  return {
    async send(message) {
      const charset = 'UTF-8'
      await options.client.send(
        new SendEmailCommand({
          FromEmailAddress: options.from,
          Destination: { ToAddresses: [message.to] },
          ...(options.configurationSetName ? { ConfigurationSetName: options.configurationSetName } : {}),
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: charset },
              Body: { Text: { Data: message.text, Charset: charset }, Html: { Data: message.html, Charset: charset } },
            },
          },
        }),
      )
    },
  }
}
