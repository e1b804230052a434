// Another tab's sign-in reaches this tab even when this tab's read of storage
// would still be stale (Chromium often delivers the BroadcastChannel message
// before the other tab can see the localStorage write).
import { describe, expect, it } from 'vitest'
import { memoryStorage } from '../src/index.js'
import { EMAIL, USERNAME, useMswServer, world } from './helpers/setup.js'

const server = useMswServer()

describe('tabs', () => {
  it('take the session from the message, not only from storage', async () => {
    const { client: tabA, cognito, make } = world(server, { config: { storageKey: 'shared-tabs' } })
    // Tab B reads a storage that never sees tab A's write: the stalest read possible.
    const tabB = make({ storageKey: 'shared-tabs', storage: memoryStorage() })
    await tabB.ready()
    cognito.addUser(EMAIL, USERNAME)
    const signedInThere = new Promise((resolve) => tabB.on('signedIn', resolve))
    await tabA.signIn({ email: EMAIL, method: 'code' })
    await tabA.answer(cognito.lastCode()!)
    await signedInThere
    expect(tabB.getSnapshot()).toMatchObject({ status: 'signed-in', session: { userId: USERNAME, email: EMAIL } })
  })
})
