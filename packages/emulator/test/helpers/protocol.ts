import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { usernameForEmail } from '@regionless/backend'
import { decodeJwt } from 'jose'
import type { EmulatorRegion, InboxEntry, RunningEmulator } from '../../src/index.js'

/** Cognito's JSON answers, loosely typed so assertions can read any member. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary members of protocol answers
export type Wire = Record<string, any>

/** A Cognito JSON-protocol call as a browser makes it: no SDK, no signature. */
export async function cognito(endpoint: string, operation: string, body: unknown, init: RequestInit = {}) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
    ...init,
  })
  return { status: res.status, headers: res.headers, body: (await res.json()) as Wire }
}

/** The reference client of the protocol, pointed at one emulated region, any credentials. */
export function sdk(region: EmulatorRegion) {
  return new CognitoIdentityProviderClient({
    region: region.region,
    endpoint: region.endpoint,
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
    maxAttempts: 1,
  })
}

export async function inbox(emulator: RunningEmulator, to?: string): Promise<InboxEntry[]> {
  const res = await fetch(`${emulator.controlUrl}/_regionless/inbox`)
  const all = (await res.json()) as InboxEntry[]
  return to ? all.filter((e) => e.to === to) : all
}

let counter = 0
/** A fresh address per test, so tests never share a user or a send throttle. */
export const freshEmail = (tag = 'user') => `${tag}-${process.pid}-${Date.now().toString(36)}-${++counter}@example.com`

/** Sign-up exactly as the Regionless client does it: stable username, throwaway password, email attribute. */
export async function signUp(region: EmulatorRegion, email: string) {
  return cognito(region.endpoint, 'SignUp', {
    ClientId: region.clientId,
    Username: usernameForEmail(email),
    Password: `Aa1!${crypto.randomUUID()}`,
    UserAttributes: [{ Name: 'email', Value: email }],
  })
}

/** `usernameForEmail(login)` for an address, else `login`: the client signs in by username, never by alias. */
export const loginName = (login: string) => (login.includes('@') ? usernameForEmail(login) : login)

/** InitiateAuth(CUSTOM_AUTH) and the method answer; returns the real challenge. */
export async function startSignIn(region: EmulatorRegion, login: string, meta: Record<string, string>): Promise<Wire> {
  const init = await cognito(region.endpoint, 'InitiateAuth', {
    ClientId: region.clientId,
    AuthFlow: 'CUSTOM_AUTH',
    AuthParameters: { USERNAME: loginName(login) },
  })
  if (init.status !== 200) throw new Error(`InitiateAuth: ${JSON.stringify(init.body)}`)
  const method = await answer(region, init.body, '__method', meta)
  if (method.status !== 200) throw new Error(`method step: ${JSON.stringify(method.body)}`)
  return method.body
}

export function answer(region: EmulatorRegion, challenge: Wire, value: string, meta?: Record<string, string>) {
  return cognito(region.endpoint, 'RespondToAuthChallenge', {
    ClientId: region.clientId,
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: challenge.Session,
    ChallengeResponses: { USERNAME: challenge.ChallengeParameters.USERNAME, ANSWER: value },
    ...(meta && { ClientMetadata: meta }),
  })
}

/** The full email-code sign-in; returns the AuthenticationResult. */
export async function signInWithCode(emulator: RunningEmulator, region: EmulatorRegion, email: string) {
  const challenge = await startSignIn(region, email, { method: 'code' })
  const [mail] = await inbox(emulator, email)
  if (!mail?.code) throw new Error('no code in the inbox')
  const done = await answer(region, challenge, mail.code, { method: 'code' })
  if (!done.body.AuthenticationResult) throw new Error(`code answer: ${JSON.stringify(done.body)}`)
  return done.body.AuthenticationResult as { IdToken: string; AccessToken: string; RefreshToken: string }
}

/** The token in a magic link's fragment, and the username it is for. */
export function linkToken(link: string) {
  const token = new URL(link).hash.replace(/^#regionless-link=/, '')
  return { token, username: String(decodeJwt(token).sub) }
}

/** Admin calls need a SigV4 header; the emulator accepts any. */
export function signedHeaders(operation: string) {
  return {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEMULATOR/20260101/eu-west-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00',
  }
}
