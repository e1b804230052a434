import { createPasskeyHttpHandler, createPasskeyService, type PasskeyHttpHandler } from '@regionless/backend'
import { createEmulatorStores } from '@regionless/emulator'

/**
 * The passkey routes (`/passkeys…`) for one region, on the emulator's shared stores: in AWS the same
 * service runs on the global table (`createDynamoPasskeyStore`, `createDynamoSingleUseStore`), so the
 * passkeys registered here are the ones every region's sign-in checks. Undefined when the emulator
 * runs without passkeys.
 */
export async function passkeysFromEmulator(
  controlUrl: string,
  region: string,
): Promise<PasskeyHttpHandler | undefined> {
  const config = (await (await fetch(new URL('/_regionless/config', controlUrl))).json()) as {
    relyingParty?: { rpId: string; rpName?: string; origins: string[] }
  }
  if (!config.relyingParty) return undefined
  const { passkeys, singleUse } = createEmulatorStores(controlUrl)
  const service = createPasskeyService({ passkeys, singleUse, region, relyingParty: config.relyingParty })
  return createPasskeyHttpHandler(service)
}
