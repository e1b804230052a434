import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import type { SQSEvent } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningEmulator, startEmulator } from '../src/index.js'

/** Whether a TCP connection to host:port succeeds. */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}

/** Local addresses of the listening TCP sockets on a port, from the kernel's table (Linux). */
function listeningAddresses(port: number): string[] {
  const rows = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => {
    try {
      return readFileSync(file, 'utf8').trim().split('\n').slice(1)
    } catch {
      return []
    }
  })
  return rows
    .map((row) => row.trim().split(/\s+/))
    .filter((cols) => cols[3] === '0A' && Number.parseInt(cols[1]?.split(':')[1] ?? '', 16) === port)
    .map((cols) => cols[1]?.split(':')[0] ?? '')
}

const externalAddresses = () =>
  Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a?.address as string)

describe('replication queues (fauxqs)', () => {
  const batches: { region: string; event: SQSEvent }[] = []
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({
      config: { queues: { maxReceiveCount: 2, visibilityTimeoutSeconds: 0 } },
      replicationWorker: async (event, region) => {
        batches.push({ region, event })
        // "poison" never succeeds: after maxReceiveCount receives it must land in the DLQ.
        return {
          batchItemFailures: event.Records.filter((r) => r.body === 'poison').map((r) => ({
            itemIdentifier: r.messageId,
          })),
        }
      },
    })
  })
  afterAll(() => emulator?.close())

  it('every server listens on loopback only, fauxqs included', async () => {
    const ports = [
      Number(new URL(emulator.queues.endpoint).port),
      Number(new URL(emulator.controlUrl).port),
      ...emulator.config.regions.map((r) => Number(new URL(r.endpoint).port)),
    ]
    expect(new URL(emulator.queues.endpoint).hostname).toBe('127.0.0.1')
    for (const port of ports) expect(await reachable('127.0.0.1', port)).toBe(true)
    // The kernel's own table: each port listens on 127.0.0.1 (0100007F) and nowhere else (not 0.0.0.0, not ::).
    for (const port of ports) expect(listeningAddresses(port)).toEqual(['0100007F'])
    // And from outside: every non-loopback address of this machine is refused.
    for (const address of externalAddresses()) {
      for (const port of ports) expect(await reachable(address, port)).toBe(false)
    }
  })

  it('calls the worker Lambda-style, deletes what succeeded, and redrives failures to the DLQ', async () => {
    const eu = emulator.queues.regions[0]!
    const sqs = new SQSClient({
      endpoint: emulator.queues.endpoint,
      region: eu.region,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    })
    await sqs.send(new SendMessageCommand({ QueueUrl: eu.queueUrl, MessageBody: 'good' }))
    await sqs.send(new SendMessageCommand({ QueueUrl: eu.queueUrl, MessageBody: 'poison' }))
    sqs.destroy()

    type Depth = { region: string; queue: { total: number }; dlq: { total: number } }
    await emulator.queues.drained()
    const drained = (await (await fetch(`${emulator.controlUrl}/_regionless/queues`)).json()) as Depth[]
    expect(drained.find((d) => d.region === eu.region)).toMatchObject({ queue: { total: 0 }, dlq: { total: 1 } })
    const records = batches.flatMap((b) => b.event.Records.map((r) => ({ region: b.region, record: r })))
    expect(records.filter((r) => r.record.body === 'good')).toHaveLength(1)
    const poison = records.filter((r) => r.record.body === 'poison')
    expect(poison).toHaveLength(2)
    expect(poison.map((p) => p.record.attributes.ApproximateReceiveCount)).toEqual(['1', '2'])
    expect(poison[0]).toMatchObject({
      region: eu.region,
      record: { eventSource: 'aws:sqs', awsRegion: eu.region, eventSourceARN: expect.stringContaining(eu.region) },
    })
    const depths = (await (await fetch(`${emulator.controlUrl}/_regionless/queues`)).json()) as Depth[]
    expect(depths.map((d) => d.region)).toEqual(emulator.config.regions.map((r) => r.region))
  })
})
