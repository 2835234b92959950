import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { platformCrypto } from '../../actors/crypto/platform.node.ts';
import { faultOps } from '../../actors/workers/fault-ops.node.ts';
import { openProcessWorker, openThreadWorker } from '../../actors/workers/node-worker-handle.node.ts';
import { workerOps } from '../../actors/workers/ops.ts';
import { startWorkerPool, type PoolActorRef } from '../../actors/workers/pool-client.ts';
import { isWorkerError } from '../../actors/workers/worker-error.ts';
import type { WorkerHandle } from '../../actors/workers/worker-handle.ts';
import type { KindConfig } from '../../machines/worker-pool.ts';
import { WORKER_ENTRIES } from '../../hosts/workers/node-pool.node.ts';

/**
 * Real workers killed mid-task — terminated from outside, killed with a signal, ended by an
 * uncaught throw inside, stuck past their timeout — and the pool restarting them and finishing or
 * failing the task with a clear error. Time is real here (threads and processes take real time to
 * start), but nothing sleeps: every step waits for the pool's own snapshot or a task's promise.
 */

const FAULT = new URL('../../hosts/workers/fault-worker.node.ts', import.meta.url);
const one = (overrides: Partial<KindConfig> = {}): KindConfig => ({ workers: 1, queueCapacity: 64, timeoutMs: 20_000, maxBatch: 16, maxInFlight: 16, ...overrides });

const pools: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

/** A pool whose opened handles the test can reach, with a short backoff so restarts are quick. */
function track<T extends { close(): Promise<void> }>(start: (record: (open: () => WorkerHandle) => WorkerHandle) => T): { pool: T; handles: WorkerHandle[] } {
  const handles: WorkerHandle[] = [];
  const pool = start((open) => {
    const handle = open();
    handles.push(handle);
    return handle;
  });
  pools.push(pool);
  return { pool, handles };
}

const cryptoPool = () =>
  track((record) =>
    startWorkerPool({
      table: workerOps,
      kinds: { crypto: one() },
      delays: { backoff: 10 },
      open: ({ workerId }) => record(() => openThreadWorker(WORKER_ENTRIES.crypto.entry, workerId)),
    }),
  );

const faultPool = (isolation: 'thread' | 'process') =>
  track((record) =>
    startWorkerPool({
      table: faultOps,
      kinds: { fault: one() },
      delays: { backoff: 10 },
      maxRestarts: 3,
      open: ({ workerId }) => record(() => (isolation === 'thread' ? openThreadWorker(FAULT, workerId) : openProcessWorker(FAULT, workerId))),
    }),
  );

/** Resolves once the worker holds `n` tasks: they were posted, so killing it now is mid-task. */
const inFlight = (pool: { actor: PoolActorRef }, workerId: string, n = 1) => waitFor(pool.actor, (s) => s.context.workers[workerId]?.inFlight === n, { timeout: 20_000 });
const restarts = (pool: { actor: PoolActorRef }, workerId: string) => pool.actor.getSnapshot().context.workers[workerId]?.restarts;

const secretKey = platformCrypto.ed25519.generateSecretKey();
const publicKey = platformCrypto.ed25519.publicKey(secretKey);
// Enough signing (~0.5 s) that the worker is surely still at it when it is terminated.
const messages = Array.from({ length: 20_000 }, (_, i) => new TextEncoder().encode(`message ${i}`));

describe('worker pool with real workers killed mid-task', () => {
  it('terminate: a crypto thread dies mid-signBatch, the pool restarts it and the retried batch completes', async () => {
    const { pool, handles } = cryptoPool();
    const signatures = pool.run('crypto', { op: 'signBatch', payload: { secretKey, messages } });
    await inFlight(pool, 'crypto-0');
    await handles[0]!.terminate();

    const result = await signatures;
    expect(result).toHaveLength(messages.length);
    expect(platformCrypto.ed25519.verify(publicKey, messages[12_345]!, result[12_345]!)).toBe(true);
    expect(handles).toHaveLength(2);
    expect(restarts(pool, 'crypto-0')).toBe(1);
  });

  it('terminate: a task that may not run twice fails with WORKER_CRASHED, and the restarted thread serves the next', async () => {
    const { pool, handles } = cryptoPool();
    const once = pool.run('crypto', { op: 'signBatch', payload: { secretKey, messages } }, { idempotent: false });
    await inFlight(pool, 'crypto-0');
    await handles[0]!.terminate();

    await expect(once).rejects.toSatisfy((e) => isWorkerError(e, 'WORKER_CRASHED') && /not idempotent/.test(e.message));
    const next = await pool.run('crypto', { op: 'sign', payload: { secretKey, message: messages[0]! } });
    expect(platformCrypto.ed25519.verify(publicKey, messages[0]!, next)).toBe(true);
  });

  it('a throw inside: an uncaught exception ends the thread; the task fails naming it, the next one runs', async () => {
    const { pool } = faultPool('thread');
    const thrown = pool.run('fault', { op: 'throwUncaught', payload: { message: 'disk on fire' } });
    await expect(thrown).rejects.toSatisfy((e) => isWorkerError(e, 'WORKER_CRASHED') && /uncaught in the worker: disk on fire/.test(e.message));
    expect(await pool.run('fault', { op: 'echo', payload: { value: 'still here' } })).toBe('still here');
    expect(restarts(pool, 'fault-0')).toBe(1);
  });

  it('a task that kills every worker it lands on is retried once, then fails — it cannot crash-loop the pool', async () => {
    const { pool } = faultPool('thread');
    const poison = pool.run('fault', { op: 'throwUncaught', payload: { message: 'poison' } }, { idempotent: true });
    await expect(poison).rejects.toSatisfy((e) => isWorkerError(e, 'WORKER_CRASHED') && /already been retried once/.test(e.message));
    expect(restarts(pool, 'fault-0')).toBe(2);
    expect(await pool.run('fault', { op: 'echo', payload: { value: 1 } })).toBe(1);
  });

  it('process.kill: a worker process killed with SIGKILL mid-task is restarted and the task completes there', async () => {
    const { pool } = faultPool('process');
    const firstPid = await pool.run('fault', { op: 'pid', payload: {} });
    const slow = pool.run('fault', { op: 'sleep', payload: { ms: 300 } });
    await inFlight(pool, 'fault-0');
    process.kill(firstPid, 'SIGKILL');

    expect(await slow).toBe(300);
    const status = pool.status().kinds.fault!.workers[0]!;
    expect(status).toMatchObject({ restarts: 1, lastError: 'the worker process was killed by SIGKILL' });
    expect(await pool.run('fault', { op: 'pid', payload: {} })).not.toBe(firstPid);
  });

  it('timeout: a thread stuck in a busy loop is cut off with TIMEOUT and replaced', async () => {
    const { pool, handles } = faultPool('thread');
    const stuck = pool.run('fault', { op: 'spin', payload: { ms: Infinity } }, { timeoutMs: 300 });
    await expect(stuck).rejects.toSatisfy((e) => isWorkerError(e, 'TIMEOUT') && /within 300 ms/.test(e.message));
    expect(await pool.run('fault', { op: 'echo', payload: { value: 'fresh' } })).toBe('fresh');
    expect(handles).toHaveLength(2);
  });

  it('the LLM worker runs as a child process, answers ping and info, and comes back after a kill', async () => {
    const { pool } = track((record) =>
      startWorkerPool({
        table: workerOps,
        kinds: { llm: one({ maxBatch: 1, maxInFlight: 1 }) },
        delays: { backoff: 10 },
        open: ({ workerId }) => record(() => openProcessWorker(WORKER_ENTRIES.llm.entry, workerId)),
      }),
    );
    expect(await pool.run('llm', { op: 'ping', payload: { nonce: 42 } })).toEqual({ nonce: 42 });
    const info = await pool.run('llm', { op: 'info', payload: {} });
    expect(info).toMatchObject({ node: process.version, inference: true, loaded: null });
    expect(info.pid).not.toBe(process.pid); // its own process
    process.kill(info.pid, 'SIGKILL');
    await waitFor(pool.actor, (s) => s.context.workers['llm-0']?.restarts === 1, { timeout: 20_000 });
    expect(await pool.run('llm', { op: 'ping', payload: { nonce: 7 } })).toEqual({ nonce: 7 });
  });
});
