import { describe, expect, it } from 'vitest'
import { createDeferred } from '../src/deferred.js'
import { createShutdown } from '../src/start/shutdown.js'

describe('createDeferred', () => {
  it('resolves its promise, shows the value at once, and keeps the first outcome', async () => {
    const deferred = createDeferred<string>()
    expect(deferred.value).toBeUndefined()
    deferred.resolve('first')
    deferred.resolve('second')
    deferred.reject(new Error('late'))
    expect(deferred.value).toBe('first')
    await expect(deferred.promise).resolves.toBe('first')
  })

  it('rejects its promise', async () => {
    const deferred = createDeferred<void>()
    deferred.reject(new Error('no'))
    await expect(deferred.promise).rejects.toThrow('no')
    expect(deferred.value).toBeUndefined()
  })
})

describe('createShutdown', () => {
  it('stops every part even when one fails, and a second close waits for the first', async () => {
    const shutdown = createShutdown()
    const stopped: string[] = []
    let release: () => void = () => {}
    const slow = new Promise<void>((resolve) => {
      release = resolve
    })
    shutdown.add(
      () => stopped.push('feed'),
      () => {
        throw new Error('cannot stop')
      },
      async () => {
        await slow
        stopped.push('server')
      },
    )
    shutdown.add(async () => {
      throw new Error('cannot stop either')
    })
    const first = shutdown.close()
    const second = shutdown.close()
    expect(second).toBe(first)
    expect(stopped).toEqual(['feed'])
    release()
    await expect(first).resolves.toBeUndefined()
    expect(stopped).toEqual(['feed', 'server'])
  })
})
