/**
 * What `close()` stops, gathered as start-up goes: the parts that started are stopped together,
 * one failing to stop does not keep the others running, and a second `close()` waits for the first.
 */
export function createShutdown() {
  const closers: (() => unknown)[] = []
  let closing: Promise<void> | undefined
  return {
    add(...close: (() => unknown)[]): void {
      closers.push(...close)
    },
    close(): Promise<void> {
      closing ??= Promise.allSettled(closers.map(async (close) => close())).then(() => {})
      return closing
    },
  }
}

export type Shutdown = ReturnType<typeof createShutdown>
