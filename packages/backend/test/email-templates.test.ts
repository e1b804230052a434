import { describe, expect, it } from 'vitest'
import { renderEmail, type TemplatesOption } from '../src/email/email-templates.js'
import { createSimulator } from './helpers/cognito-simulator.js'
import { createHarness } from './helpers/harness.js'

const vars = { minutes: '3', region: 'eu-west-1' }

describe('email templates', () => {
  it('renders the default code email in text and HTML', () => {
    const email = renderEmail('code', { ...vars, code: '012345' })
    expect(email.subject).toBe('Your sign-in code')
    expect(email.text).toContain('012345')
    expect(email.text).toContain('3 minutes')
    expect(email.html).toContain('<strong')
    expect(email.html).toContain('012345')
  })

  it('escapes values in HTML, not in text, and keeps the subject on one line', () => {
    const link = 'https://app.example.com/auth/?a=1&b="><script>x</script>#regionless-link=t'
    const templates: TemplatesOption = { link: { subject: 'Sign in\r\nBcc: victim@example.com {{region}}' } }
    const email = renderEmail('link', { ...vars, link }, templates)
    expect(email.html).toContain(
      'href="https://app.example.com/auth/?a=1&#38;b=&#34;&#62;&#60;script&#62;x&#60;/script&#62;',
    )
    expect(email.html).not.toContain('<script>')
    expect(email.text).toContain(link)
    expect(email.subject).toBe('Sign in Bcc: victim@example.com eu-west-1')
  })

  it('takes overrides as strings with placeholders or functions, per locale', () => {
    const templates: TemplatesOption = (locale) =>
      locale?.startsWith('fr')
        ? {
            code: {
              subject: 'Votre code de connexion',
              text: 'Votre code : {{ code }} (valable {{minutes}} min)',
              html: ({ code }) => `<p>Code&nbsp;: <b>${code}</b></p>`,
            },
          }
        : undefined
    const fr = renderEmail('code', { ...vars, code: '<12>' }, templates, 'fr-FR')
    expect(fr).toEqual({
      subject: 'Votre code de connexion',
      text: 'Votre code : <12> (valable 3 min)',
      html: '<p>Code&nbsp;: <b>&#60;12&#62;</b></p>',
    })
    expect(renderEmail('code', { ...vars, code: '1' }, templates, 'en').subject).toBe('Your sign-in code')
  })

  it('uses the locale from the client metadata when the triggers send', async () => {
    const h = createHarness({
      templates: (locale) => (locale === 'de' ? { code: { subject: 'Ihr Anmeldecode' } } : undefined),
    })
    const sim = createSimulator(h.triggers, [
      { username: 'u_b5fc85e55755f9e0d030a10ab4429b6b', email: 'ada@example.com' },
    ])
    const method = await sim.initiateAuth('ada@example.com')
    if (method.kind !== 'challenge') throw new Error('no method step')
    await sim.respond(method.session, '__method', { method: 'code', locale: 'de' })
    expect(h.inbox[0]?.subject).toBe('Ihr Anmeldecode')
    expect(h.inbox[0]?.text).toContain(h.inbox[0]?.code)
  })
})
