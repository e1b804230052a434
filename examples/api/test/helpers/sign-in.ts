import { createAuthClient, type Session } from '@regionless/client'
import type { RunningEmulator } from '@regionless/emulator'

/** Signs `email` up and in by code through the real client, reading the code from the emulator's inbox. */
export async function signIn(emulator: RunningEmulator, email: string, homeRegion?: string): Promise<Session> {
  const client = createAuthClient({ ...emulator.config, bridge: 'off', ...(homeRegion ? { homeRegion } : {}) })
  try {
    await client.signUp({ email })
    const since = Date.now()
    await client.signIn({ email, method: 'code' })
    const query = new URLSearchParams({ to: email, since: String(since), wait: '10000' })
    const [mail] = (await (await fetch(`${emulator.controlUrl}/_regionless/inbox?${query}`)).json()) as Array<{
      code: string
    }>
    return await client.answer(mail!.code)
  } finally {
    client.destroy()
  }
}
