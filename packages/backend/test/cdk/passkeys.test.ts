import type { Template } from 'aws-cdk-lib/assertions'
import { beforeAll, describe, expect, it } from 'vitest'
import { DeployConfigError } from '../../src/cdk/config.js'
import { PASSKEY_ROUTES } from '../../src/passkeys/passkey-http.js'
import { PASSKEY_API_ENV } from '../../src/settings/passkey-api-settings.js'
import { REPLICATION_ENV } from '../../src/settings/replication-settings.js'
import { AUTH_ENV } from '../../src/triggers/env-config.js'
import { type Cfn, exampleConfig, synthExample, templatesOf } from '../helpers/cdk-fixtures.js'

// Passkeys in the deploy app: on when `passkeys.rpId` is set (the example config sets it), off otherwise.

let on: Template
let off: Template

beforeAll(() => {
  const withPasskeys = synthExample(exampleConfig())
  ;[on] = templatesOf(withPasskeys.app, [withPasskeys.stacks.regions[0]!]) as [Template]
  const without = synthExample(exampleConfig({ passkeys: undefined }))
  ;[off] = templatesOf(without.app, [without.stacks.regions[0]!]) as [Template]
}, 180_000)

function functionNamed(template: Template, name: string): Cfn | undefined {
  return (
    Object.entries(
      template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: `regionless-${name}` } }),
    ) as Cfn[]
  ).map(([id, f]) => ({ id, ...f.Properties }))[0]
}

const routesOf = (template: Template) =>
  (Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as Cfn[]).map((r) => r.Properties)
const passkeyRoutes = (template: Template) => routesOf(template).filter((r) => / \/passkeys/.test(r.RouteKey))
const variablesOf = (template: Template, name: string) =>
  Object.keys(functionNamed(template, name)?.Environment?.Variables ?? {})

describe('passkeys on (passkeys.rpId set)', () => {
  it('routes every PASSKEY_ROUTES entry to the passkeys function', () => {
    const routes = passkeyRoutes(on)
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(PASSKEY_ROUTES.map((r) => `${r.method} ${r.path}`).sort())
    const passkeys = functionNamed(on, 'passkeys')
    expect(passkeys.Handler).toBe('index.handler')
    const integrations = on.findResources('AWS::ApiGatewayV2::Integration')
    for (const route of routes) {
      const integration: Cfn = integrations[route.Target['Fn::Join'][1][1].Ref]
      expect(JSON.stringify(integration.Properties.IntegrationUri)).toContain(passkeys.id)
      expect(integration.Properties.PayloadFormatVersion).toBe('2.0')
    }
  })

  it('puts the verifier authorizer on every passkey route but POST /passkeys/challenge', () => {
    const [authorizerId] = Object.keys(on.findResources('AWS::ApiGatewayV2::Authorizer'))
    for (const route of passkeyRoutes(on)) {
      if (route.RouteKey === 'POST /passkeys/challenge') {
        expect(route.AuthorizationType).toBe('NONE')
        expect(route.AuthorizerId).toBeUndefined()
      } else {
        expect(route.AuthorizationType).toBe('CUSTOM')
        expect(route.AuthorizerId).toEqual({ Ref: authorizerId })
      }
    }
  })

  it('lets the allowed origins call PUT and DELETE with a token and a JSON body', () => {
    const [api] = Object.values(on.findResources('AWS::ApiGatewayV2::Api')) as Cfn[]
    const cors = api.Properties.CorsConfiguration
    expect(cors.AllowOrigins).toEqual(['https://app.example.com'])
    expect(cors.AllowMethods.some((m: string) => m === '*' || m === 'PUT')).toBe(true)
    expect(cors.AllowMethods.some((m: string) => m === '*' || m === 'DELETE')).toBe(true)
    expect(cors.AllowHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type']))
  })

  it('gives the passkeys function the relying party and the table only', () => {
    const variables = functionNamed(on, 'passkeys').Environment.Variables
    expect(variables).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      [PASSKEY_API_ENV.tableName]: 'regionless-single-use',
      [PASSKEY_API_ENV.passkeyRpId]: 'example.com',
      [PASSKEY_API_ENV.passkeyRpName]: 'Example',
      [PASSKEY_API_ENV.passkeyOrigins]: 'https://app.example.com',
    })
  })

  it('gives the challenge triggers the relying party, and the deleting functions the passkey switch', () => {
    for (const name of ['create-auth-challenge', 'verify-auth-challenge']) {
      expect(variablesOf(on, name)).toEqual(
        expect.arrayContaining([AUTH_ENV.passkeyRpId, AUTH_ENV.passkeyRpName, AUTH_ENV.passkeyOrigins]),
      )
    }
    for (const name of ['lifecycle', 'account-deletion']) {
      expect(functionNamed(on, name).Environment.Variables[REPLICATION_ENV.removePasskeys]).toBe('true')
    }
  })

  it('scopes the passkeys function’s table access to passkey#, challenge# and webauthn# items', () => {
    const roleId = functionNamed(on, 'passkeys').Role['Fn::GetAtt'][0]
    const statements = (Object.values(on.findResources('AWS::IAM::Policy')) as Cfn[])
      .filter((p) => p.Properties.Roles.some((r: Cfn) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
    expect(statements.length).toBe(3)
    for (const s of statements) {
      expect(s.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys']).toHaveLength(1)
      expect(JSON.stringify(s.Resource)).toContain(':table/regionless-single-use')
      expect([s.Action].flat()).not.toContain('dynamodb:DeleteItem')
    }
  })
})

describe('passkeys off (no passkeys.rpId)', () => {
  it('adds no route, no function, no variable and no grant for passkeys', () => {
    expect(passkeyRoutes(off)).toEqual([])
    expect(functionNamed(off, 'passkeys')).toBeUndefined()
    for (const name of ['create-auth-challenge', 'verify-auth-challenge', 'lifecycle', 'account-deletion']) {
      const variables = variablesOf(off, name)
      expect(variables.length).toBeGreaterThan(0)
      expect(variables).not.toContain(AUTH_ENV.passkeyRpId)
      expect(variables).not.toContain(REPLICATION_ENV.removePasskeys)
    }
    const patterns = JSON.stringify(
      (Object.values(off.findResources('AWS::IAM::Policy')) as Cfn[]).flatMap(
        (p) => p.Properties.PolicyDocument.Statement,
      ),
    )
    for (const prefix of ['passkey#', 'challenge#', 'webauthn#']) expect(patterns).not.toContain(prefix)
  })
})

describe('the relying party is checked at synth', () => {
  it.each([
    [{ rpId: '203.0.113.7', origins: ['https://203.0.113.7'] }, 'passkeys.rpId'],
    [{ rpId: 'example.com', origins: ['https://app.other.test'] }, 'passkeys.origins'],
    [{ rpId: 'example.com' }, 'passkeys.origins'],
  ])('%j → %s', (passkeys, setting) => {
    let error: unknown
    try {
      exampleConfig({ passkeys })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(DeployConfigError)
    expect((error as DeployConfigError).setting).toBe(setting)
  })
})
