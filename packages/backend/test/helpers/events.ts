import type {
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  PreSignUpTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda'

// The @types/aws-lambda names for these are not exported from the package root.
type StringMap = Record<string, string>
type CustomChallengeResult = Extract<
  DefineAuthChallengeTriggerEvent['request']['session'][number],
  { challengeName: 'CUSTOM_CHALLENGE' }
>

// Fixtures in the shape Cognito sends (Cognito developer guide, "Custom
// authentication challenge Lambda triggers" and the common trigger parameters):
// version "1", callerContext with awsSdkVersion/clientId, a pre-filled response.
export const POOL_ID = 'eu-west-1_Abc123'
export const PEER_POOL_ID = 'us-east-1_Def456'
export const CLIENT_ID = '4ab1cdefghijklmnopq2rstuv3'

interface Common {
  userName: string
  userAttributes?: StringMap
  clientMetadata?: StringMap
  userNotFound?: boolean
  session?: CustomChallengeResult[]
  region?: string
  userPoolId?: string
}

function base(input: Common) {
  return {
    version: '1',
    region: input.region ?? 'eu-west-1',
    userPoolId: input.userPoolId ?? POOL_ID,
    userName: input.userName,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: CLIENT_ID },
  }
}

function requestExtras(input: Common) {
  return {
    ...(input.clientMetadata === undefined ? {} : { clientMetadata: input.clientMetadata }),
    ...(input.userNotFound === undefined ? {} : { userNotFound: input.userNotFound }),
  }
}

export function userAttributesFor(email: string): StringMap {
  return {
    sub: '0f8a1b2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c',
    'cognito:user_status': 'CONFIRMED',
    email_verified: 'true',
    'cognito:email_alias': email,
    email,
  }
}

export function defineEvent(input: Common): DefineAuthChallengeTriggerEvent {
  return {
    ...base(input),
    triggerSource: 'DefineAuthChallenge_Authentication',
    request: { userAttributes: input.userAttributes ?? {}, session: input.session ?? [], ...requestExtras(input) },
    response: { challengeName: undefined, issueTokens: false, failAuthentication: false },
  }
}

export function createEvent(input: Common): CreateAuthChallengeTriggerEvent {
  return {
    ...base(input),
    triggerSource: 'CreateAuthChallenge_Authentication',
    request: {
      userAttributes: input.userAttributes ?? {},
      challengeName: 'CUSTOM_CHALLENGE',
      session: input.session ?? [],
      ...requestExtras(input),
    },
    response: { publicChallengeParameters: {}, privateChallengeParameters: {}, challengeMetadata: '' },
  }
}

export function verifyEvent(
  input: Common & { privateChallengeParameters: StringMap; challengeAnswer: string },
): VerifyAuthChallengeResponseTriggerEvent {
  return {
    ...base(input),
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    request: {
      userAttributes: input.userAttributes ?? {},
      privateChallengeParameters: input.privateChallengeParameters,
      challengeAnswer: input.challengeAnswer,
      ...requestExtras(input),
    },
    response: { answerCorrect: false },
  }
}

export function preSignUpEvent(
  triggerSource: PreSignUpTriggerEvent['triggerSource'],
  input: { userName: string; email?: string },
): PreSignUpTriggerEvent {
  return {
    ...base({ userName: input.userName }),
    triggerSource,
    request: { userAttributes: input.email === undefined ? {} : { email: input.email }, validationData: {} },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  } as PreSignUpTriggerEvent
}

export function round(challengeMetadata: string, challengeResult: boolean): CustomChallengeResult {
  return { challengeName: 'CUSTOM_CHALLENGE', challengeResult, challengeMetadata }
}

/** A complete environment of the auth triggers' Lambda entry, as the construct sets it (tests spread and override it). */
export const TRIGGER_ENV = {
  REGIONLESS_EMAIL_FROM: 'no-reply@example.com',
  REGIONLESS_LINK_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab',
  REGIONLESS_LINK_AUDIENCE: 'regionless-test',
  REGIONLESS_TRUSTED_POOL_IDS: `${POOL_ID}, ${PEER_POOL_ID}`,
  REGIONLESS_REDIRECT_ALLOW_LIST: 'https://app.example.com/auth/',
  REGIONLESS_TABLE_NAME: 'regionless',
  AWS_REGION: 'eu-west-1',
}
