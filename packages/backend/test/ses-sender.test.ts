import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import { createSesEmailSender } from '../src/email/email-sender.js'

describe('SES v2 email sender', () => {
  it('sends text and HTML parts in UTF-8 from the configured identity', async () => {
    const ses = mockClient(SESv2Client)
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' })
    const sender = createSesEmailSender({
      client: new SESv2Client({ region: 'eu-west-1' }),
      from: 'Sign-in <no-reply@example.com>',
      configurationSetName: 'regionless',
    })
    await sender.send({
      to: 'ada@example.com',
      subject: 'Code',
      text: 'T 123456',
      html: '<p>123456</p>',
      kind: 'code',
      code: '123456',
    })
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).toEqual({
      FromEmailAddress: 'Sign-in <no-reply@example.com>',
      Destination: { ToAddresses: ['ada@example.com'] },
      ConfigurationSetName: 'regionless',
      Content: {
        Simple: {
          Subject: { Data: 'Code', Charset: 'UTF-8' },
          Body: { Text: { Data: 'T 123456', Charset: 'UTF-8' }, Html: { Data: '<p>123456</p>', Charset: 'UTF-8' } },
        },
      },
    })
  })

  it('propagates SES failures so the challenge is not created', async () => {
    const ses = mockClient(SESv2Client)
    ses
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }))
    const sender = createSesEmailSender({
      client: new SESv2Client({ region: 'eu-west-1' }),
      from: 'no-reply@example.com',
    })
    await expect(sender.send({ to: 'a@b.c', subject: 's', text: 't', html: 'h', kind: 'code' })).rejects.toThrow(
      'not verified',
    )
  })

  it('refuses to start without a from address', () => {
    expect(() => createSesEmailSender({ client: new SESv2Client({ region: 'eu-west-1' }), from: '' })).toThrow(
      TypeError,
    )
  })
})
