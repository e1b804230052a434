// Real tokens from a running emulator: sign-up and the email-code sign-in exactly as the Regionless
// client sends them (Cognito's JSON protocol, no SDK), the code read from the emulator's inbox.
import type { EmulatorRegion, RunningEmulator } from '@regionless/emulator'
import { usernameForEmail } from './cognito-pool.js'

type Answer = Record<string, unknown> & {
  Session?: string
  ChallengeParameters?: Record<string, string>
  AuthenticationResult?: { IdToken: string; AccessToken: string }
}

async function call(region: EmulatorRegion, operation: string, body: unknown): Promise<Answer> {
  const res = await fetch(region.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  })
  const answer = (await res.json()) as Answer
  if (res.status !== 200) throw new Error(`${operation} in ${region.region}: ${JSON.stringify(answer)}`)
  return answer
}

/** Signs `email` up (once) and in by code in `region`; the emulator must allow back-to-back emails. */
export async function emulatorTokens(emulator: RunningEmulator, region: EmulatorRegion, email: string) {
  const username = usernameForEmail(email)
  await call(region, 'SignUp', {
    ClientId: region.clientId,
    Username: username,
    Password: `Aa1!${crypto.randomUUID()}`,
    UserAttributes: [{ Name: 'email', Value: email }],
  }).catch((err: Error) => {
    if (!err.message.includes('UsernameExistsException')) throw err
  })
  const respond = (previous: Answer, answer: string) =>
    call(region, 'RespondToAuthChallenge', {
      ClientId: region.clientId,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: previous.Session,
      ChallengeResponses: { USERNAME: username, ANSWER: answer },
      ClientMetadata: { method: 'code' },
    })
  const init = await call(region, 'InitiateAuth', {
    ClientId: region.clientId,
    AuthFlow: 'CUSTOM_AUTH',
    AuthParameters: { USERNAME: username },
  })
  const challenge = await respond(init, '__method')
  const code = emulator.inbox().find((mail) => mail.to === email)?.code
  if (!code) throw new Error(`no code for ${email} in the inbox`)
  const done = await respond(challenge, code)
  if (!done.AuthenticationResult) throw new Error(`no tokens: ${JSON.stringify(done)}`)
  return { idToken: done.AuthenticationResult.IdToken, accessToken: done.AuthenticationResult.AccessToken }
}
