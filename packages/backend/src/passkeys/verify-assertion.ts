import { verifyAuthenticationResponse } from '@simplewebauthn/server'
import { isoBase64URL } from '@simplewebauthn/server/helpers'
import { webauthnKey } from '../stores/keys.js'
import type { SingleUseStore } from '../stores/single-use-store.js'
import { sameChallenge } from './challenges.js'
import type { PasskeyStore } from './passkey-store.js'
import type { RelyingParty } from './relying-party.js'
import { parseAuthenticationResponse, readClientData, userHandleOf } from './webauthn-json.js'

export interface AssertionInput {
  /** The answer as the client sent it: the JSON of `navigator.credentials.get()`'s result. */
  answer: string
  /** Cognito's username of the sign-in (the stable username). */
  username: string
  /** The challenge this sign-in's CreateAuthChallenge issued. */
  sessionChallenge: string | undefined
  /** False for an unknown user: everything is checked, nothing is spent or recorded. */
  known: boolean
  region: string
}

export interface AssertionDeps {
  passkeys: PasskeyStore
  singleUse: SingleUseStore
  relyingParty: RelyingParty
  nowSeconds: () => number
}

export type AssertionVerdict = { correct: true; credentialId: string } | { correct: false; reason: string }

const refuse = (reason: string): AssertionVerdict => ({ correct: false, reason })

// The library says what failed only in its messages; these become the reasons the trigger logs.
const LIBRARY_REASONS: [RegExp, string][] = [
  [/RP ID/i, 'wrong RP id'],
  [/user verification/i, 'user verification missing'],
  [/not present/i, 'user presence missing'],
  [/counter value/i, 'counter did not grow (cloned authenticator?)'],
  [/origin/i, 'wrong origin'],
  [/challenge/i, 'wrong challenge'],
  [/type/i, 'wrong response type'],
]

function libraryReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  return LIBRARY_REASONS.find(([pattern]) => pattern.test(message))?.[1] ?? 'invalid assertion'
}

/**
 * Checks a passkey answer for VerifyAuthChallengeResponse, cheapest checks first. The challenge must be
 * one this deployment issued for sign-in (this sign-in's own, or the passkey API's for autofill), still
 * in the store and, if it names a user, naming this one. The credential must be one of this user's; the WebAuthn library
 * then checks origin, RP id, user verification and the signature. Only then is the challenge spent (in
 * every region) and the use recorded if the counter grew, so a refused answer changes nothing (but for
 * a correctly signed one whose counter did not grow: its challenge is spent, it can never pass anyway).
 */
export async function verifyAssertion(input: AssertionInput, deps: AssertionDeps): Promise<AssertionVerdict> {
  const response = parseAuthenticationResponse(input.answer)
  if (!response) return refuse('malformed answer')
  const client = readClientData(response.response.clientDataJSON)
  if (!client) return refuse('malformed client data')
  if (client.type !== 'webauthn.get') return refuse('wrong response type')
  if (!deps.relyingParty.allowsOrigin(client.origin)) return refuse('wrong origin')
  // Every challenge, this session's own too, must still be in the store: its TTL holds even when
  // Cognito's session (up to 15 minutes) outlives it.
  const issued = await deps.passkeys.findChallenge(client.challenge)
  if (issued?.purpose !== 'sign-in' || (issued.username !== undefined && issued.username !== input.username)) {
    return refuse(sameChallenge(input.sessionChallenge, client.challenge) ? 'challenge expired' : 'wrong challenge')
  }
  const handle = response.response.userHandle
  if (handle !== undefined && handle !== '' && handle !== userHandleOf(input.username)) {
    return refuse('credential of another user')
  }
  const passkey = input.known ? (await deps.passkeys.list(input.username)).find((p) => p.id === response.id) : undefined
  if (!passkey) return refuse('unknown credential')
  let info: Awaited<ReturnType<typeof verifyAuthenticationResponse>>
  try {
    info = await verifyAuthenticationResponse({
      response,
      expectedChallenge: client.challenge,
      expectedOrigin: client.origin,
      expectedRPID: deps.relyingParty.id,
      requireUserVerification: true,
      // Counter 0: the library would check the counter before the signature, so a replayed assertion
      // (already spent) or a forged one would be logged as a clone. The counter is checked below, by
      // recordUse, atomically and after the signature and the spent challenge.
      credential: {
        id: passkey.id,
        publicKey: isoBase64URL.toBuffer(passkey.publicKey),
        counter: 0,
        ...(passkey.transports && { transports: passkey.transports as never }),
      },
    })
  } catch (err) {
    return refuse(libraryReason(err))
  }
  if (!info.verified) return refuse('bad signature')
  const now = deps.nowSeconds()
  // A challenge outlives its sign-in only in the store; an hour covers any TTL we allow.
  if (!(await deps.singleUse.consume(webauthnKey(client.challenge), now + 3600)))
    return refuse('challenge already used')
  const use = { counter: info.authenticationInfo.newCounter, at: Math.round(now * 1000), region: input.region }
  const outcome = await deps.passkeys.recordUse(input.username, passkey.id, use)
  if (outcome === 'missing') return refuse('unknown credential')
  if (outcome === 'counter-not-greater') return refuse('counter did not grow (cloned authenticator?)')
  return { correct: true, credentialId: passkey.id }
}
