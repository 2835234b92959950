import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import type { KindConfig } from '../../machines/worker-pool.ts';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { cryptoOps } from './crypto-ops.ts';
import { InProcessWorkerHandle } from './in-process-handle.ts';
import { workerOps } from './ops.ts';
import { startWorkerPool, type WorkerPool } from './pool-client.ts';
import { syncOps } from './sync-ops.ts';
import { isWorkerError } from './worker-error.ts';

// The client end to end over in-process workers (the same serve loop as real ones, behind a
// MessageChannel), in Node and in Chromium alike. Real threads: tests/integration/worker-pool-crash.

const kind = (overrides: Partial<KindConfig> = {}): KindConfig => ({ workers: 1, queueCapacity: 1_000, timeoutMs: 5_000, maxBatch: 64, maxInFlight: 256, ...overrides });

function start(crypto: Partial<KindConfig> = {}) {
  const handles: Array<InProcessWorkerHandle<never>> = []; // crypto workers, oldest first
  const posts: number[] = [];
  const pool = startWorkerPool({
    table: workerOps,
    kinds: { crypto: kind(crypto), sync: kind() },
    delays: { backoff: 1 },
    open: ({ kind }) => {
      const handle = kind === 'crypto' ? new InProcessWorkerHandle(kind, cryptoOps(nobleCrypto)) : new InProcessWorkerHandle(kind, syncOps(nobleCrypto));
      const post = handle.post.bind(handle);
      handle.post = (message, transfer) => {
        posts.push(message.ids.length);
        post(message, transfer);
      };
      if (kind === 'crypto') handles.push(handle as InProcessWorkerHandle<never>);
      return handle;
    },
  });
  return { pool, handles, posts };
}

const secretKey = nobleCrypto.ed25519.generateSecretKey();
const publicKey = nobleCrypto.ed25519.publicKey(secretKey);
const message = (i: number) => new TextEncoder().encode(`message ${i}`);

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('WorkerPool.run over in-process workers', () => {
  it('returns each typed result, and carries a burst to the worker in a few messages', async () => {
    const s = start({ maxBatch: 64 });
    pool = s.pool;
    const signatures = await Promise.all(Array.from({ length: 100 }, (_, i) => s.pool.run('crypto', { op: 'sign', payload: { secretKey, message: message(i) } })));
    signatures.forEach((signature, i) => expect(nobleCrypto.ed25519.verify(publicKey, message(i), signature)).toBe(true));
    expect(s.posts).toEqual([64, 36]);
  });

  it('runs sync ops: hashes and a diff', async () => {
    const s = start();
    pool = s.pool;
    const items = [message(1), message(2)];
    expect(await s.pool.run('sync', { op: 'hashBatch', payload: { items } })).toEqual(items.map((item) => nobleCrypto.sha256Hex(item)));
    expect(await s.pool.run('sync', { op: 'diff', payload: { ours: ['a', 'b', 'd'], theirs: ['b', 'c'] } })).toEqual({ theyLack: ['a', 'd'], weLack: ['c'] });
  });

  it('moves transferred payload buffers to the worker', async () => {
    const s = start();
    pool = s.pool;
    const messages = [message(1), message(2)];
    const transfer = messages.map((m) => m.buffer as ArrayBuffer);
    const signatures = await s.pool.run('crypto', { op: 'signBatch', payload: { secretKey, messages } }, { transfer });
    expect(messages.every((m) => m.byteLength === 0)).toBe(true); // detached here
    expect(signatures.map((sig, i) => nobleCrypto.ed25519.verify(publicKey, message(i + 1), sig))).toEqual([true, true]);
  });

  it('rejects with typed errors: BAD_REQUEST, TASK_FAILED with the op error code, QUEUE_FULL, UNKNOWN_KIND', async () => {
    const s = start({ queueCapacity: 1 });
    pool = s.pool;
    const [malformed, refused] = await Promise.allSettled([
      s.pool.run('crypto', { op: 'sign', payload: { secretKey, message: 'not bytes' as unknown as Uint8Array } }),
      s.pool.run('crypto', { op: 'sign', payload: { secretKey, message: message(0) } }), // capacity 1: refused
    ]);
    expect(malformed.status === 'rejected' && malformed.reason).toSatisfy((e) => isWorkerError(e, 'BAD_REQUEST') && /message must be a Uint8Array/.test(e.message));
    expect(refused.status === 'rejected' && refused.reason).toSatisfy((e) => isWorkerError(e, 'QUEUE_FULL'));

    const failed = await s.pool.run('crypto', { op: 'sign', payload: { secretKey: new Uint8Array(3), message: message(0) } }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'TASK_FAILED', detail: { name: 'CryptoError', code: 'BAD_KEY_LENGTH' } });

    const unknown = s.pool.run('llm', { op: 'ping', payload: { nonce: 1 } });
    await expect(unknown).rejects.toSatisfy((e) => isWorkerError(e, 'UNKNOWN_KIND'));
  });

  it('finishes an idempotent task on a restarted worker after its worker died mid-task', async () => {
    const s = start();
    pool = s.pool;
    await waitFor(s.pool.actor, (snap) => snap.context.workers['crypto-0']?.state === 'ready');
    const signature = s.pool.run('crypto', { op: 'sign', payload: { secretKey, message: message(7) } });
    await waitFor(s.pool.actor, (snap) => snap.context.workers['crypto-0']?.inFlight === 1);
    s.handles[0]!.crash('killed mid-task'); // posted, not yet answered (the answer is a macrotask away)
    expect(nobleCrypto.ed25519.verify(publicKey, message(7), await signature)).toBe(true);
    expect(s.handles).toHaveLength(2);
    expect(s.posts).toEqual([1, 1]); // to the dead worker, then again to its replacement
    expect(s.pool.status().kinds.crypto?.workers[0]).toMatchObject({ restarts: 1, lastError: 'killed mid-task' });
  });

  it('fails a non-idempotent task whose worker died with WORKER_CRASHED', async () => {
    const s = start();
    pool = s.pool;
    await waitFor(s.pool.actor, (snap) => snap.context.workers['crypto-0']?.state === 'ready');
    const task = s.pool.run('crypto', { op: 'sign', payload: { secretKey, message: message(7) } }, { idempotent: false });
    await waitFor(s.pool.actor, (snap) => snap.context.workers['crypto-0']?.inFlight === 1);
    s.handles[0]!.crash();
    await expect(task).rejects.toSatisfy((e) => isWorkerError(e, 'WORKER_CRASHED') && /not idempotent/.test(e.message));
  });

  it('close() fails queued and in-flight tasks with POOL_STOPPED, and later calls too', async () => {
    const s = start();
    const inFlight = s.pool.run('crypto', { op: 'sign', payload: { secretKey, message: message(1) } });
    await s.pool.close();
    await expect(inFlight).rejects.toSatisfy((e) => isWorkerError(e, 'POOL_STOPPED'));
    await expect(s.pool.run('crypto', { op: 'sign', payload: { secretKey, message: message(2) } })).rejects.toSatisfy((e) => isWorkerError(e, 'POOL_STOPPED'));
  });

  it('fails what is in flight with POOL_STOPPED when the pool actor is stopped from outside (say, by its parent)', async () => {
    const s = start();
    const inFlight = s.pool.run('crypto', { op: 'sign', payload: { secretKey, message: message(1) } });
    await Promise.resolve(); // submitted
    s.pool.actor.stop();
    await expect(inFlight).rejects.toSatisfy((e) => isWorkerError(e, 'POOL_STOPPED'));
    const exits = await Promise.all(s.handles.map((h) => new Promise((resolve) => h.onExit(resolve))));
    expect(exits).toEqual([{ reason: 'terminated', message: 'terminated by the host' }]); // its worker went with it
    await s.pool.close(); // still fine to call
  });
});
