import { describe, expect, it } from 'vitest'
import { usernameForEmail } from '../src/identity/stable-username.js'
import { isDomainAllowed } from '../src/triggers/pre-sign-up.js'
import { preSignUpEvent } from './helpers/events.js'
import { createHarness } from './helpers/harness.js'

const EMAIL = 'Ada@Example.com'

describe('PreSignUp', () => {
  it('auto-confirms a self-service sign-up and verifies its email', async () => {
    const h = createHarness()
    const event = await h.triggers.preSignUp(
      preSignUpEvent('PreSignUp_SignUp', { userName: usernameForEmail(EMAIL), email: EMAIL }),
    )
    expect(event.response).toEqual({ autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false })
  })

  it('leaves users created by replication (AdminCreateUser) and federation untouched', async () => {
    const h = createHarness({ emailDomains: { allow: ['nowhere.example'] } })
    for (const source of ['PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'] as const) {
      const event = await h.triggers.preSignUp(preSignUpEvent(source, { userName: 'anything', email: EMAIL }))
      expect(event.response).toEqual({ autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false })
    }
  })

  it('applies the domain allow and deny lists', async () => {
    const h = createHarness({
      emailDomains: { allow: ['example.com', '.corp.example'], deny: ['blocked.corp.example'] },
    })
    const signUp = (email: string) =>
      h.triggers.preSignUp(preSignUpEvent('PreSignUp_SignUp', { userName: usernameForEmail(email), email }))
    await expect(signUp('ada@example.com')).resolves.toMatchObject({ response: { autoConfirmUser: true } })
    await expect(signUp('ada@eu.corp.example')).resolves.toMatchObject({ response: { autoConfirmUser: true } })
    await expect(signUp('ada@example.org')).rejects.toThrow(/^EMAIL_DOMAIN_NOT_ALLOWED: /)
    await expect(signUp('ada@corp.example')).rejects.toThrow(/^EMAIL_DOMAIN_NOT_ALLOWED: /)
    await expect(signUp('ada@blocked.corp.example')).rejects.toThrow(/^EMAIL_DOMAIN_NOT_ALLOWED: /)
  })

  it('denies a listed domain however it is written: trailing dot, case, and every subdomain', async () => {
    const h = createHarness({ emailDomains: { deny: ['mailinator.com'] } })
    const signUp = (email: string) =>
      h.triggers.preSignUp(preSignUpEvent('PreSignUp_SignUp', { userName: usernameForEmail(email), email }))
    for (const email of ['x@mailinator.com.', 'x@eu.mailinator.com', 'x@MAILINATOR.COM', 'x@a.b.mailinator.com.']) {
      await expect(signUp(email), email).rejects.toThrow(/^EMAIL_DOMAIN_NOT_ALLOWED: /)
    }
    // A look-alike that only ends with the same letters is another domain.
    await expect(signUp('x@notmailinator.com')).resolves.toMatchObject({ response: { autoConfirmUser: true } })
  })

  it('matches domains as DNS does, without widening an allow list to subdomains', () => {
    const rules = (allow: string[] | undefined, deny: string[] = []) => ({ allow, deny })
    expect(isDomainAllowed('x@mailinator.com.', rules(undefined, ['mailinator.com']))).toBe(false)
    expect(isDomainAllowed('x@eu.mailinator.com', rules(undefined, ['Mailinator.com.']))).toBe(false)
    expect(isDomainAllowed('x@eu.mailinator.com', rules(undefined, ['.mailinator.com']))).toBe(false)
    expect(isDomainAllowed('x@mailinator.com', rules(undefined, ['.mailinator.com']))).toBe(true)
    expect(isDomainAllowed('x@bücher.example', rules(undefined, ['xn--bcher-kva.example']))).toBe(false)
    expect(isDomainAllowed('ada@example.com.', rules(['example.com']))).toBe(true)
    expect(isDomainAllowed('ada@eu.example.com', rules(['example.com']))).toBe(false)
    expect(isDomainAllowed('ada@eu.example.com', rules(['.example.com']))).toBe(true)
  })

  it('refuses a username that is not the stable one for the email, unless turned off', async () => {
    const strict = createHarness()
    const event = () => preSignUpEvent('PreSignUp_SignUp', { userName: 'ada', email: EMAIL })
    await expect(strict.triggers.preSignUp(event())).rejects.toThrow(
      /^INVALID_SIGN_UP: the username must be usernameForEmail/,
    )
    const relaxed = createHarness({ requireStableUsername: false })
    await expect(relaxed.triggers.preSignUp(event())).resolves.toMatchObject({ response: { autoConfirmUser: true } })
  })

  it('refuses a sign-up without a usable email and does not confirm it', async () => {
    const h = createHarness()
    await expect(h.triggers.preSignUp(preSignUpEvent('PreSignUp_SignUp', { userName: 'u_x' }))).rejects.toThrow(
      /^NO_EMAIL: /,
    )
    await expect(
      h.triggers.preSignUp(preSignUpEvent('PreSignUp_SignUp', { userName: 'u_x', email: 'not-an-address' })),
    ).rejects.toThrow(/^INVALID_SIGN_UP: /)
  })
})
