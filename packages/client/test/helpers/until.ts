import type { AuthClient } from '../../src/index.js'

/** Resolves once `ok()` holds for the client's state: checked now and at each change the client announces. */
export const until = (client: Pick<AuthClient, 'subscribe'>, ok: () => boolean) =>
  new Promise<void>((resolve) => {
    const check = () => {
      if (!ok()) return
      off()
      resolve()
    }
    const off = client.subscribe(check)
    check()
  })
