// Stands in for a root script whose part is not built yet, and says so.
const what = process.argv[2] ?? 'this command'
console.error(`pnpm ${what}: not available yet (see the open issues); nothing was started.`)
process.exit(1)
