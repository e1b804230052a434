// Sign in with @regionless/client from a terminal, no React: the same calls a
// Vue, Svelte or vanilla front end makes. Against the emulator by default.
//
//   pnpm emulator                       # in another terminal
//   pnpm --filter @regionless/example-headless start --email ada@example.com
//
// (`start -- --email …` works too: npm needs the `--`, pnpm passes it on.)
import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import { createAuthClient, isRegionlessError } from '@regionless/client'

const { values } = parseArgs({
  // pnpm hands a `--` it was given to the script; it separates nothing here.
  args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
  options: {
    email: { type: 'string', default: 'ada@example.com' },
    emulator: { type: 'string', default: 'http://127.0.0.1:9229' },
    // Read the code from the emulator's inbox instead of asking for it.
    'from-inbox': { type: 'boolean', default: false },
  },
})
const email = values.email!

// The emulator's configuration answer is a valid client configuration as it is.
const config = await (await fetch(new URL('/_regionless/config', values.emulator))).json()
const client = createAuthClient(config)

client.on('codeSent', (c) => console.log(`code sent to ${c.destination ?? c.email} from ${c.region}`))
client.on('regionChanged', ({ from, to }) => console.log(`region changed: ${from} → ${to}`))

try {
  const sentAt = Date.now()
  // Creates the account when the email is new, then sends the code: the same for new and existing users.
  await client.signIn({ email, method: 'code', createAccount: true })
  const code = values['from-inbox'] ? await codeFromInbox(email, sentAt) : await ask('Code from the email: ')
  const session = await client.answer(code) // "046 903" and "046-903" are fine
  console.log(`signed in as ${session.email} (user id ${session.userId}) through ${session.region}`)
  await client.signOut()
  console.log('signed out')
} catch (err) {
  if (isRegionlessError(err)) console.error(`sign-in failed: ${err.code}: ${err.message}`)
  else throw err
  process.exitCode = 1
} finally {
  client.destroy()
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  try {
    return await rl.question(question)
  } finally {
    rl.close()
  }
}

async function codeFromInbox(to: string, since: number): Promise<string> {
  // The emulator holds the answer until an email to `to` sent after `since` arrives.
  const query = new URLSearchParams({ to, since: String(since), wait: '15000' })
  const inbox = (await (await fetch(new URL(`/_regionless/inbox?${query}`, values.emulator))).json()) as Array<{
    code?: string
  }>
  const code = inbox.find((m) => m.code)?.code
  if (!code) throw new Error(`no code arrived for ${to}`)
  return code
}
