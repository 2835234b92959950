import { afterEach, describe, expect, it } from 'vitest';
import type { KindConfig } from '../../machines/worker-pool.ts';
import { InProcessWorkerHandle } from './in-process-handle.ts';
import { op, type OpHandlers } from './ops.ts';
import { startWorkerPool, type WorkerPool } from './pool-client.ts';
import type { HostMessage } from './protocol.ts';
import { isWorkerError } from './worker-error.ts';

// Streaming ops and cancellation end to end over in-process workers (the serve loop real workers
// run, behind a MessageChannel), in Node and in Chromium. Over a real child process:
// hosts/workers/streaming.node.test.ts; with the embedded model: actors/ai/embedded/.

/** Counts 1…to as progress, one every `everyMs`; on cancel it stops and answers, throws, or carries on. */
const streamOps = {
  stream: {
    count: op<{ to: number; everyMs: number; onCancel: 'answer' | 'throw' | 'ignore' }, { sent: number; stopped: boolean }, number>({ idempotent: false }),
  },
} as const;

const handlers: OpHandlers<(typeof streamOps)['stream']> = {
  count: async ({ to, everyMs, onCancel }, _transfer, task) => {
    for (let i = 1; i <= to; i++) {
      if (task.signal.aborted && onCancel !== 'ignore') {
        if (onCancel === 'throw') throw new Error('stopped');
        return { sent: i - 1, stopped: true };
      }
      task.progress(i);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    return { sent: to, stopped: false };
  },
};

const kind: KindConfig = { workers: 1, queueCapacity: 16, timeoutMs: 10_000, maxBatch: 1, maxInFlight: 1 };

let pool: WorkerPool<typeof streamOps> | undefined;
let posted: HostMessage[] = [];
afterEach(async () => {
  await pool?.close();
  pool = undefined;
  posted = [];
});

function start(): WorkerPool<typeof streamOps> {
  pool = startWorkerPool({
    table: streamOps,
    kinds: { stream: kind },
    open: () => {
      const handle = new InProcessWorkerHandle('stream', handlers);
      const post = handle.post.bind(handle);
      handle.post = (message, transfer) => {
        posted.push(message);
        post(message, transfer);
      };
      return handle;
    },
  });
  return pool;
}

/** Resolves when `events` reaches `n` items. */
const reach = (events: unknown[], n: number) =>
  new Promise<void>((resolve) => {
    const check = () => (events.length >= n ? resolve() : setTimeout(check, 1));
    check();
  });

describe('WorkerPool.run with a streaming op', () => {
  it('delivers progress in order, all of it before the result', async () => {
    const p = start();
    const events: number[] = [];
    let atResult = -1;
    const result = await p.run('stream', { op: 'count', payload: { to: 5, everyMs: 1, onCancel: 'answer' } }, { onProgress: (n) => events.push(n) }).then((r) => {
      atResult = events.length;
      return r;
    });
    expect(events).toEqual([1, 2, 3, 4, 5]);
    expect(atResult).toBe(5);
    expect(result).toEqual({ sent: 5, stopped: false });
  });

  it('stops a running op when the signal aborts, and settles with its partial answer', async () => {
    const p = start();
    const controller = new AbortController();
    const events: number[] = [];
    const run = p.run('stream', { op: 'count', payload: { to: 10_000, everyMs: 2, onCancel: 'answer' } }, { signal: controller.signal, onProgress: (n) => events.push(n) });
    await reach(events, 3);
    controller.abort();
    const result = await run;
    expect(result.stopped).toBe(true);
    expect(result.sent).toBeGreaterThanOrEqual(3);
    expect(result.sent).toBeLessThan(10_000);
    expect(events).toEqual(Array.from({ length: result.sent }, (_, i) => i + 1));
    expect(posted.filter((m) => m.type === 'cancel')).toHaveLength(1);
  });

  it('fails CANCELLED when the op throws once cancelled, and runs on when an op ignores the signal', async () => {
    const p = start();
    const thrown = new AbortController();
    const events: number[] = [];
    const run = p.run('stream', { op: 'count', payload: { to: 10_000, everyMs: 2, onCancel: 'throw' } }, { signal: thrown.signal, onProgress: (n) => events.push(n) });
    await reach(events, 1);
    thrown.abort();
    await expect(run).rejects.toSatisfy((e) => isWorkerError(e, 'CANCELLED'));

    const ignored = new AbortController();
    const stubborn = p.run('stream', { op: 'count', payload: { to: 3, everyMs: 5, onCancel: 'ignore' } }, { signal: ignored.signal });
    setTimeout(() => ignored.abort(), 2);
    expect(await stubborn).toEqual({ sent: 3, stopped: false });
  });

  it('never sends a task whose signal aborted before it was submitted or while it waited in the queue', async () => {
    const p = start();
    const already = AbortSignal.abort();
    await expect(p.run('stream', { op: 'count', payload: { to: 1, everyMs: 0, onCancel: 'answer' } }, { signal: already })).rejects.toSatisfy((e) => isWorkerError(e, 'CANCELLED'));

    const sameTurn = new AbortController();
    const dropped = p.run('stream', { op: 'count', payload: { to: 1, everyMs: 0, onCancel: 'answer' } }, { signal: sameTurn.signal });
    sameTurn.abort(); // before the client hands its batch to the pool
    await expect(dropped).rejects.toSatisfy((e) => isWorkerError(e, 'CANCELLED'));

    const events: number[] = [];
    const busy = p.run('stream', { op: 'count', payload: { to: 5, everyMs: 2, onCancel: 'answer' } }, { onProgress: (n) => events.push(n) });
    const waiting = new AbortController();
    const queued = p.run('stream', { op: 'count', payload: { to: 1, everyMs: 0, onCancel: 'answer' } }, { signal: waiting.signal });
    await reach(events, 1); // the first runs; one task at a time, so the second is queued
    waiting.abort();
    await expect(queued).rejects.toSatisfy((e) => isWorkerError(e, 'CANCELLED') && e.message.includes('before it ran'));
    expect(await busy).toEqual({ sent: 5, stopped: false });
    const requests = posted.filter((m) => m.type === 'requests');
    expect(requests).toHaveLength(1); // only the busy one ever reached the worker
    expect(posted.filter((m) => m.type === 'cancel')).toEqual([]);
  });
});
