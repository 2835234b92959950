import { op, type OpHandlers } from './ops.ts';
import { record } from './protocol.ts';

/**
 * A worker that misbehaves on request — the fixture for crash tests (tests/integration/
 * worker-pool-crash.node.test.ts) and the handle acceptance suite. Production pools never start
 * it; its ops exist to kill, hang or fail a real thread or process mid-task.
 */
export const faultOps = {
  fault: {
    echo: op<{ value: unknown }, unknown>({ idempotent: true }),
    /** Answers after `ms` (an async op: the worker stays responsive meanwhile). */
    sleep: op<{ ms: number }, number>({ idempotent: true }),
    /** Blocks the worker's thread for `ms` (Infinity: for ever) — a stuck worker. */
    spin: op<{ ms: number }, number>({ idempotent: true }),
    /** Throws from a timer, outside any handler: the uncaught exception ends the worker. */
    throwUncaught: op<{ message: string }, never>({ idempotent: false }),
    /** Throws inside the op: answered as TASK_FAILED, the worker stays up. */
    fail: op<{ message: string }, never>({ idempotent: true }),
    /** The worker's pid, so a test can `process.kill` a worker process. */
    pid: op<Record<string, never>, number>({ idempotent: true }),
  },
} as const;

export function faultHandlers(): OpHandlers<(typeof faultOps)['fault']> {
  return {
    echo: (payload) => record(payload).value,
    sleep: (payload) => {
      const ms = Number(record(payload).ms);
      return new Promise((resolve) => setTimeout(() => resolve(ms), ms));
    },
    spin: (payload) => {
      const ms = Number(record(payload).ms);
      const end = performance.now() + ms;
      while (performance.now() < end) {
        // busy: nothing else runs on this thread
      }
      return ms;
    },
    throwUncaught: (payload) => {
      const message = String(record(payload).message);
      setTimeout(() => {
        throw new Error(message);
      });
      return new Promise<never>(() => {});
    },
    fail: (payload) => {
      throw new Error(String(record(payload).message));
    },
    pid: () => process.pid,
  };
}
