import { randomId } from './identity.js'

/**
 * Messages between tabs. A session message carries the record it announces:
 * in Chromium the message often arrives before the other tab can read the
 * write from localStorage, so "read storage again" alone would read it stale.
 */
export type TabMessage = { type: 'session' | 'signed-out'; tab: string; record?: unknown }

export interface TabChannel {
  post(type: TabMessage['type'], record?: unknown): void
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
  // A message without a record means "read storage again", so an unknown one is harmless.
  channel.onmessage = ({ data }: MessageEvent<TabMessage | undefined>) => {
    if (data && data.tab !== tab) onMessage(data)
  }
  // In Node an open channel would keep the process alive.
  ;(channel as unknown as { unref?: () => void }).unref?.()
  let open = true
  return {
    // A save still running when the client is destroyed must not throw "channel is closed".
    post: (type, record) => open && channel.postMessage({ type, tab, record } satisfies TabMessage),
    close: () => {
      open = false
      channel.close()
    },
  }
}
