import type { AuthState } from '@regionless/client'
import { act, fireEvent, render, screen } from '@testing-library/react'
import axe from 'axe-core'
import { expect } from 'vitest'
import { PasswordlessLogin, type PasswordlessLoginProps } from '../../src/passwordless-login.js'
import { RegionlessProvider } from '../../src/provider.js'
import { fakeClient } from './fake-client.js'

/** Renders the login over a fake client; the fake's controls come back with the view. */
export function setup(props: PasswordlessLoginProps = {}, initial: Partial<AuthState> = {}) {
  const fake = fakeClient(initial)
  const view = render(
    <RegionlessProvider client={fake.client}>
      <PasswordlessLogin {...props} />
    </RegionlessProvider>,
  )
  return { ...fake, view }
}

export async function noAxeViolations(container: HTMLElement) {
  // color-contrast needs layout, which jsdom has not; the browser tests cover it.
  const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } })
  expect(result.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([])
}

export const emailField = () => screen.getByLabelText('Email') as HTMLInputElement
export const codeField = () => screen.getByLabelText('Verification code') as HTMLInputElement
export const button = (name: string | RegExp) => screen.getByRole('button', { name }) as HTMLButtonElement
/** The one heading the login shows. */
export const heading = () => screen.getByRole('heading')

/** The text of the elements an element's `aria-describedby` names (all of them must exist). */
export function description(element: Element): string {
  const ids = (element.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
  return ids
    .map((id) => {
      const target = document.getElementById(id)
      expect(target, `aria-describedby names #${id}, which is not in the document`).not.toBeNull()
      return target!.textContent
    })
    .join(' ')
}

/** Types the email and clicks a method's button, letting the fake client answer. */
export async function sendFor(email: string, buttonName = 'Email me a code') {
  fireEvent.change(emailField(), { target: { value: email } })
  await act(async () => fireEvent.click(button(buttonName)))
}
