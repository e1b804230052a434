import { describe, expect, it } from 'vitest'
import { EMAIL, USERNAME, useMswServer, world } from './helpers/setup.js'

const server = useMswServer()

describe('sign-up', () => {
  it('creates the user with the stable username, a throwaway password and the email attribute', async () => {
    const { client, cognito } = world(server)
    expect(await client.signUp({ email: ' Ana@Example.com ' })).toEqual({ userId: USERNAME, region: 'eu-west-1' })
    const [call] = cognito.ops('SignUp')
    expect(call?.body.Username).toBe(USERNAME)
    expect(call?.body.UserAttributes).toEqual([{ Name: 'email', Value: 'Ana@Example.com' }])
    expect(call?.body.Password).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{36}$/)
    expect(cognito.users('eu-west-1').get(USERNAME)).toBe(EMAIL)
  })

  it('treats an existing user as success, revealing nothing', async () => {
    const { client, cognito } = world(server)
    cognito.addUser(EMAIL, USERNAME)
    expect(await client.signUp({ email: EMAIL })).toEqual({ userId: USERNAME, region: 'eu-west-1' })
  })

  it('goes to the healthiest region in the pools topology', async () => {
    const { client, cognito } = world(server)
    cognito.setFault('eu-west-1', 'down')
    expect((await client.signUp({ email: EMAIL })).region).toBe('us-east-1')
  })

  it('goes only to the primary in the replicas topology, with a clear error while it is down', async () => {
    const { client, cognito } = world(server, { topology: 'replicas' })
    cognito.setFault('eu-west-1', 'down')
    await expect(client.signUp({ email: EMAIL })).rejects.toMatchObject({
      code: 'PRIMARY_UNAVAILABLE',
      region: 'eu-west-1',
    })
    expect(cognito.ops('SignUp', 'us-east-1')).toHaveLength(0)
    cognito.setFault('eu-west-1', 'healthy')
    const other = world(server, { topology: 'replicas', config: { primaryRegion: 'eu-west-1' } })
    expect((await other.client.signUp({ email: EMAIL })).region).toBe('eu-west-1')
  })

  it('rejects a bad email with a TypeError before any call', async () => {
    const { client, cognito } = world(server)
    await expect(client.signUp({ email: 'nope' })).rejects.toThrow(TypeError)
    expect(cognito.calls).toHaveLength(0)
  })
})
