import { performance } from 'node:perf_hooks';
import { platformCrypto } from '../../actors/crypto/platform.node.ts';
import type { WorkerPool } from '../../actors/workers/pool-client.ts';
import { defaultKinds, startNodeWorkerPool } from '../../hosts/workers/node-pool.node.ts';

/**
 * 10,000 small crypto tasks — one Ed25519 signature of a 64-byte message each — through the worker
 * pool (2 crypto worker threads, the Node defaults otherwise) against the same signatures made
 * inline on this thread with an imported key, in the same run.
 *
 * Each task is its own `pool.run` call and settles its own promise. A caller keeps WINDOW tasks
 * outstanding, as a producer that respects the queue bound would; calls made in one turn reach the
 * pool actor as one event, and the pool carries up to `maxBatch` tasks per message to a worker
 * (specs/workers.md §6–7) — that batching is what makes tasks this small worth offloading.
 *
 * Figures:
 * - pool_speedup: inline time / pool time (goal ≥ 1.6 on 2 cores).
 * - pool_overhead_us_per_task: what the calling thread pays per task to use the pool — its event
 *   loop's busy time during the pool run ÷ tasks (goal < 50; signing inline costs ~21 µs a task).
 * - pool_roundtrip_us: one task alone, submit to result (median of sequential runs), for context.
 * Best of ROUNDS alternating rounds per side after a warm-up, as in crypto.bench.node.ts: on these
 * shared 2-core machines a round that another process interrupts says nothing about the code.
 */

const TASKS = 10_000;
const WORKERS = 2;
const ROUNDS = 7;
const WINDOW = 2_048;
const MESSAGE_BYTES = 64;

const secretKey = platformCrypto.ed25519.generateSecretKey();
const messages = Array.from({ length: TASKS }, () => platformCrypto.randomBytes(MESSAGE_BYTES));

function inline(): number {
  const start = performance.now();
  const signer = platformCrypto.ed25519.signer(secretKey);
  for (const message of messages) signer.sign(message);
  return performance.now() - start;
}

/** All TASKS through the pool, WINDOW at a time; wall ms and the calling thread's busy ms. */
async function throughPool(pool: WorkerPool): Promise<{ ms: number; busyMs: number }> {
  const elu = performance.eventLoopUtilization();
  const start = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < TASKS) {
      const message = messages[next++]!;
      await pool.run('crypto', { op: 'sign', payload: { secretKey, message } });
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, lane));
  const ms = performance.now() - start;
  return { ms, busyMs: performance.eventLoopUtilization(elu).active };
}

async function roundTrip(pool: WorkerPool, count: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await pool.run('crypto', { op: 'sign', payload: { secretKey, message: messages[i]! } });
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(count / 2)]!;
}

export default async function run(): Promise<Record<string, number>> {
  const pool = startNodeWorkerPool({ crypto: { ...defaultKinds().crypto, workers: WORKERS } });
  try {
    await pool.run('crypto', { op: 'sign', payload: { secretKey, message: messages[0]! } }); // workers up
    inline();
    await throughPool(pool);
    let [bestInline, bestPool, bestBusy] = [Infinity, Infinity, Infinity];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) bestInline = Math.min(bestInline, inline());
      const { ms, busyMs } = await throughPool(pool);
      [bestPool, bestBusy] = [Math.min(bestPool, ms), Math.min(bestBusy, busyMs)];
      if (round % 2 === 1) bestInline = Math.min(bestInline, inline());
    }
    return {
      tasks: TASKS,
      workers: WORKERS,
      inline_ms: bestInline,
      pool_ms: bestPool,
      pool_speedup: bestInline / bestPool,
      inline_us_per_task: (bestInline * 1000) / TASKS,
      pool_overhead_us_per_task: (bestBusy * 1000) / TASKS,
      pool_roundtrip_us: (await roundTrip(pool, 500)) * 1000,
    };
  } finally {
    await pool.close();
  }
}
