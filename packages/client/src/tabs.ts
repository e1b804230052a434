import { randomId } from './identity.js'

/** Messages between tabs; each says only "look at storage again". */
export type TabMessage = { type: 'session' | 'signed-out'; tab: string }

export interface TabChannel {
  post(type: TabMessage['type']): void
  close(): void
}

/**
 * A BroadcastChannel named after the storage key, so two apps (or two clients)
 * on one page do not hear each other. Without BroadcastChannel (old browsers,
 * some workers), tabs catch up on their next read of storage.
 */
export function openTabChannel(name: string, onMessage: (message: TabMessage) => void): TabChannel {
  const tab = randomId()
  const Channel = (globalThis as { BroadcastChannel?: typeof BroadcastChannel }).BroadcastChannel
  if (!Channel) return { post() {}, close() {} }
  const channel = new Channel(name)
  // Any message means "read storage again", so an unknown type is harmless.
  channel.onmessage = ({ data }: MessageEvent<TabMessage | undefined>) => {
    if (data && data.tab !== tab) onMessage(data)
  }
  // In Node an open channel would keep the process alive.
  ;(channel as unknown as { unref?: () => void }).unref?.()
  let open = true
  return {
    // A save still running when the client is destroyed must not throw "channel is closed".
    post: (type) => open && channel.postMessage({ type, tab } satisfies TabMessage),
    close: () => {
      open = false
      channel.close()
    },
  }
}
