import { availableParallelism } from 'node:os';
import type { KindConfig, PoolInput } from '../../machines/worker-pool.ts';
import type { ThreadInput } from '../../machines/worker.ts';
import { openProcessWorker, openThreadWorker } from '../../actors/workers/node-worker-handle.node.ts';
import { workerOps, type WorkerKind } from '../../actors/workers/ops.ts';
import { startWorkerPool, workerPoolLogic, type WorkerPool } from '../../actors/workers/pool-client.ts';
import type { WorkerHandle } from '../../actors/workers/worker-handle.ts';

/**
 * The Node host's worker pool: which entry each kind runs, as a thread or a process
 * (specs/workers.md §5), and the default limits. Wiring only; the behaviour is in machines/ and
 * actors/workers/.
 */

/**
 * Run from source (tsx, vitest) the entries are the .ts files beside this one; in the build
 * (hosts/build.mjs) this module is bundled into dist/node/main.node.mjs and the entries are the
 * .mjs files esbuild wrote beside it.
 */
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.mjs';
const entry = (name: string) => new URL(`./${name}.node${EXT}`, import.meta.url);

export const WORKER_ENTRIES: Record<WorkerKind, { entry: URL; isolation: 'thread' | 'process' }> = {
  crypto: { entry: entry('crypto-worker'), isolation: 'thread' },
  sync: { entry: entry('sync-worker'), isolation: 'thread' },
  llm: { entry: entry('llm-worker'), isolation: 'process' },
};

/**
 * Crypto tasks are small (a signature is ~21 µs): many per message and a deep pipeline keep a
 * worker busy while the main thread routes the next chunk (tests/bench/workers.bench.node.ts;
 * 256 per message measured best). Deadlines start when a worker gets to a chunk, so the depth does
 * not eat into timeouts. Sync tasks (hashing many items, diffing long lists) can be large, so fewer
 * travel together: a chunk shares one deadline. One LLM task at a time: inference fills a machine.
 */
export function defaultKinds(): Record<WorkerKind, KindConfig> {
  const cores = Math.max(1, availableParallelism());
  return {
    crypto: { workers: cores, queueCapacity: 4_096, timeoutMs: 30_000, maxBatch: 256, maxInFlight: 1_024 },
    sync: { workers: Math.max(1, Math.floor(cores / 2)), queueCapacity: 4_096, timeoutMs: 30_000, maxBatch: 16, maxInFlight: 64 },
    llm: { workers: 1, queueCapacity: 64, timeoutMs: 10 * 60_000, maxBatch: 1, maxInFlight: 1 },
  };
}

function openNodeWorker({ kind, workerId }: ThreadInput): WorkerHandle {
  const { entry, isolation } = WORKER_ENTRIES[kind as WorkerKind];
  return isolation === 'thread' ? openThreadWorker(entry, workerId) : openProcessWorker(entry, workerId);
}

/** A pool actor of its own with the Node workers, and its client (tests, benchmarks, scripts). */
export function startNodeWorkerPool(kinds: Partial<Record<WorkerKind, KindConfig>> = defaultKinds()): WorkerPool {
  return startWorkerPool({ table: workerOps, kinds, open: openNodeWorker });
}

/**
 * The pool machine with the Node workers, and its input, for the app machine to invoke as its
 * `workerPool` child. Callers then reach it with `new WorkerPool(system.get(SYSTEM_ID.workerPool), workerOps)`.
 */
export function nodeWorkerPoolChild(kinds: Partial<Record<WorkerKind, KindConfig>> = defaultKinds()): { logic: ReturnType<typeof workerPoolLogic>; input: PoolInput } {
  const input: PoolInput = { kinds: Object.fromEntries(Object.entries(kinds).filter((entry): entry is [string, KindConfig] => entry[1] !== undefined)) };
  return { logic: workerPoolLogic(openNodeWorker), input };
}
