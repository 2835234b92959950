import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import { FakeThreads } from '../actors/workers/fake-thread.ts';
import { poolStatus, workerPoolMachine, type KindConfig } from './worker-pool.ts';
import type { TaskOutcome, WorkerTask } from './worker-task.ts';
import { workerMachine } from './worker.ts';

const crypto = (overrides: Partial<KindConfig> = {}): KindConfig => ({
  workers: 2,
  queueCapacity: 8,
  timeoutMs: 1_000,
  maxBatch: 4,
  maxInFlight: 4,
  ...overrides,
});

let nextId = 1;
function tasks(count: number, overrides: Partial<WorkerTask> = {}): WorkerTask[] {
  return Array.from({ length: count }, () => ({ id: nextId++, kind: 'crypto', op: 'sign', payload: null, transfer: [], idempotent: true, ...overrides }));
}

function startPool(kinds: Record<string, KindConfig> = { crypto: crypto() }, maxRestarts = 1) {
  const clock = new SimulatedClock();
  const threads = new FakeThreads();
  const machine = workerPoolMachine.provide({ actors: { worker: workerMachine.provide({ actors: { thread: threads.actor } }) } });
  const actor = createActor(machine, { input: { kinds, maxRestarts }, clock }).start();
  const outcomes: TaskOutcome[] = [];
  const progress: Array<{ id: number; data: unknown }> = [];
  actor.on('tasks.settled', (event) => outcomes.push(...event.outcomes));
  actor.on('task.progress', ({ id, data }) => progress.push({ id, data }));
  const submit = (list: WorkerTask[]) => {
    actor.send({ type: 'pool.submit', tasks: list });
    return list.map((t) => t.id);
  };
  const outcomeOf = (id: number) => outcomes.filter((o) => o.id === id);
  const status = () => poolStatus(actor.getSnapshot()).kinds;
  const cancel = (ids: number[], kind = 'crypto') => actor.send({ type: 'pool.cancel', kind, ids });
  return { actor, clock, threads, outcomes, progress, submit, cancel, outcomeOf, status, thread: (id: string) => threads.of(id) };
}

describe('worker pool machine', () => {
  it('splits a burst evenly over idle workers, several tasks per message, least busy first', () => {
    const p = startPool();
    try {
      p.thread('crypto-0').ready();
      p.thread('crypto-1').ready();
      p.submit(tasks(6));
      expect(p.thread('crypto-0').messages.map((m) => m.length)).toEqual([3]);
      expect(p.thread('crypto-1').messages.map((m) => m.length)).toEqual([3]);

      p.thread('crypto-0').complete(); // crypto-0 now idle, crypto-1 has 3 in flight
      p.submit(tasks(2));
      expect(p.thread('crypto-0').messages.map((m) => m.length)).toEqual([3, 2]);
      expect(p.status().crypto?.workers.map((w) => w.inFlight)).toEqual([2, 3]);
    } finally {
      p.actor.stop();
    }
  });

  it('holds tasks until a worker is ready, and caps tasks in flight per worker', () => {
    const p = startPool({ crypto: crypto({ workers: 1, maxInFlight: 2, maxBatch: 2 }) });
    try {
      const ids = p.submit(tasks(5));
      expect(p.status().crypto?.queued).toBe(5);
      p.thread('crypto-0').ready();
      expect(p.thread('crypto-0').pending.map((t) => t.id)).toEqual(ids.slice(0, 2));
      p.thread('crypto-0').complete();
      expect(p.thread('crypto-0').pending.map((t) => t.id)).toEqual(ids.slice(2, 4)); // FIFO
      expect(p.outcomes.map((o) => o.id)).toEqual(ids.slice(0, 2));
    } finally {
      p.actor.stop();
    }
  });

  it('refuses what does not fit in the queue with QUEUE_FULL, and unknown kinds with UNKNOWN_KIND', () => {
    const p = startPool({ crypto: crypto({ queueCapacity: 3 }) });
    try {
      const ids = p.submit(tasks(5));
      const [unknown] = p.submit(tasks(1, { kind: 'gpu' }));
      expect(p.outcomes.map((o) => [o.id, !o.ok && o.error.code])).toEqual([
        [ids[3], 'QUEUE_FULL'],
        [ids[4], 'QUEUE_FULL'],
        [unknown, 'UNKNOWN_KIND'],
      ]);
      expect(p.status().crypto?.queued).toBe(3);
    } finally {
      p.actor.stop();
    }
  });

  it('retries an idempotent task once on another worker after a crash', () => {
    const p = startPool();
    try {
      p.thread('crypto-0').ready();
      const [id] = p.submit(tasks(1));
      p.thread('crypto-1').ready();
      p.thread('crypto-0').exit('killed');

      const retried = p.thread('crypto-1').pending;
      expect(retried.map((t) => [t.id, t.retried])).toEqual([[id, true]]);
      p.thread('crypto-1').complete();
      expect(p.outcomeOf(id!)).toEqual([{ id, ok: true, result: { op: 'sign', payload: null } }]);
      expect(p.status().crypto?.workers.map((w) => [w.state, w.restarts, w.lastError])).toEqual([
        ['restarting', 1, 'killed'],
        ['ready', 0, undefined],
      ]);
    } finally {
      p.actor.stop();
    }
  });

  it('keeps a retry queued until the restarted worker is back when no other worker is up', () => {
    const p = startPool({ crypto: crypto({ workers: 1 }) });
    try {
      p.thread('crypto-0').ready();
      const [id] = p.submit(tasks(1));
      p.thread('crypto-0').exit();
      expect(p.status().crypto?.queued).toBe(1);
      p.clock.increment(100); // backoff
      p.thread('crypto-0').ready();
      expect(p.thread('crypto-0').pending.map((t) => [t.id, t.retried])).toEqual([[id, true]]);
    } finally {
      p.actor.stop();
    }
  });

  it('fails a crashed task that may not be resent with WORKER_CRASHED, saying why', () => {
    const p = startPool();
    try {
      p.thread('crypto-0').ready();
      const [once] = p.submit(tasks(1, { idempotent: false }));
      const [moved] = p.submit(tasks(1, { transfer: [new ArrayBuffer(8)] }));
      p.thread('crypto-0').exit('killed');
      const codes = p.outcomes.map((o) => [o.id, !o.ok && o.error.code, !o.ok && o.error.message]);
      expect(codes).toEqual([
        [once, 'WORKER_CRASHED', expect.stringContaining('not idempotent')],
        [moved, 'WORKER_CRASHED', expect.stringContaining('transferred')],
      ]);
    } finally {
      p.actor.stop();
    }
  });

  it('fails a task that crashes its worker twice (a poison pill is retried only once)', () => {
    const p = startPool({ crypto: crypto() }, 5);
    try {
      p.thread('crypto-0').ready();
      p.thread('crypto-1').ready();
      const [id] = p.submit(tasks(1));
      p.thread('crypto-0').exit();
      p.thread('crypto-1').exit();
      expect(p.outcomeOf(id!)).toEqual([{ id, ok: false, error: { code: 'WORKER_CRASHED', message: expect.stringContaining('already been retried') } }]);
    } finally {
      p.actor.stop();
    }
  });

  it('times a task out with TIMEOUT (no retry) and restarts the stuck worker', () => {
    const p = startPool({ crypto: crypto({ workers: 1, timeoutMs: 500 }) });
    try {
      p.thread('crypto-0').ready();
      const [slow] = p.submit(tasks(1));
      const [quick] = p.submit(tasks(1, { timeoutMs: 5_000 }));
      const stuck = p.thread('crypto-0');
      p.clock.increment(500);
      expect(stuck.terminated).toBe(true);
      expect(p.outcomeOf(slow!)).toEqual([{ id: slow, ok: false, error: { code: 'TIMEOUT', message: expect.stringContaining('500 ms') } }]);
      // The other task shared the stuck thread: it is retried on the fresh one.
      p.clock.increment(100);
      p.thread('crypto-0').ready();
      expect(p.thread('crypto-0').pending.map((t) => t.id)).toEqual([quick]);
    } finally {
      p.actor.stop();
    }
  });

  it('passes an op failure through as the worker reported it', () => {
    const p = startPool();
    try {
      p.thread('crypto-0').ready();
      const [id] = p.submit(tasks(1));
      p.thread('crypto-0').fail(undefined, 'bad key');
      expect(p.outcomeOf(id!)).toEqual([{ id, ok: false, error: { code: 'TASK_FAILED', message: 'bad key' } }]);
    } finally {
      p.actor.stop();
    }
  });

  it('fails queued and new tasks with NO_WORKERS once every worker of the kind gave up', () => {
    const p = startPool({ crypto: crypto({ workers: 1 }), sync: crypto({ workers: 1 }) }, 0);
    try {
      const queued = p.submit(tasks(2));
      p.thread('crypto-0').exit(); // maxRestarts 0: gives up
      const [late] = p.submit(tasks(1));
      const codes = p.outcomes.map((o) => [o.id, !o.ok && o.error.code]);
      expect(codes).toEqual([...queued, late].map((id) => [id, 'NO_WORKERS']));
      // Other kinds are unaffected.
      p.thread('sync-0').ready();
      const [sync] = p.submit(tasks(1, { kind: 'sync' }));
      expect(p.thread('sync-0').pending.map((t) => t.id)).toEqual([sync]);
    } finally {
      p.actor.stop();
    }
  });

  it('fails what is still queued with POOL_STOPPED on stop, and terminates every thread', () => {
    const p = startPool({ crypto: crypto({ workers: 1 }) });
    try {
      const ids = p.submit(tasks(2));
      p.actor.send({ type: 'pool.stop' });
      expect(p.outcomes.map((o) => [o.id, !o.ok && o.error.code])).toEqual(ids.map((id) => [id, 'POOL_STOPPED']));
      expect(p.actor.getSnapshot().status).toBe('done');
      expect(p.thread('crypto-0').terminated).toBe(true);
    } finally {
      p.actor.stop();
    }
  });

  describe('streaming and cancelling', () => {
    it('passes a running task\'s progress on to its callers, in order, and nothing once it is answered', () => {
      const p = startPool({ crypto: crypto({ workers: 1 }) });
      try {
        p.thread('crypto-0').ready();
        const [id] = p.submit(tasks(1));
        p.thread('crypto-0').progress(id!, 'a');
        p.thread('crypto-0').progress(id!, 'b');
        p.thread('crypto-0').complete();
        p.thread('crypto-0').progress(id!, 'late');
        expect(p.progress).toEqual([
          { id, data: 'a' },
          { id, data: 'b' },
        ]);
        expect(p.outcomeOf(id!)).toHaveLength(1);
      } finally {
        p.actor.stop();
      }
    });

    it('fails a queued task CANCELLED at once and never sends it', () => {
      const p = startPool({ crypto: crypto({ workers: 1, maxInFlight: 1, maxBatch: 1 }) });
      try {
        p.thread('crypto-0').ready();
        const [running, queued, next] = p.submit(tasks(3));
        p.cancel([queued!]);
        expect(p.outcomeOf(queued!)).toEqual([{ id: queued, ok: false, error: { code: 'CANCELLED', message: expect.stringContaining('before it ran') } }]);
        expect(p.thread('crypto-0').cancels).toEqual([]); // nothing to stop on the worker
        p.thread('crypto-0').complete();
        expect(p.thread('crypto-0').messages.flat().map((t) => t.id)).toEqual([running, next]);
      } finally {
        p.actor.stop();
      }
    });

    it('asks the worker running a task to stop it, and settles it with whatever the worker answers', () => {
      const p = startPool();
      try {
        p.thread('crypto-0').ready();
        p.thread('crypto-1').ready();
        const [first, second] = p.submit(tasks(2));
        expect(p.thread('crypto-1').pending.map((t) => t.id)).toEqual([second]);
        p.cancel([second!]);
        expect(p.thread('crypto-1').cancels).toEqual([[second]]);
        expect(p.thread('crypto-0').cancels).toEqual([]); // crypto-0 does not hold it
        expect(p.outcomeOf(second!)).toEqual([]); // not settled until the worker answers
        p.thread('crypto-1').answer([{ id: second!, ok: true, result: 'partial' }]);
        expect(p.outcomeOf(second!)).toEqual([{ id: second, ok: true, result: 'partial' }]);
        expect(p.outcomeOf(first!)).toEqual([]);
      } finally {
        p.actor.stop();
      }
    });

    it('does not run a cancelled task again when its worker hands it back or dies with it', () => {
      const p = startPool({ crypto: crypto({ workers: 1 }) }, 3);
      try {
        p.thread('crypto-0').ready();
        const [lost, kept] = p.submit(tasks(2));
        p.cancel([lost!]);
        p.thread('crypto-0').exit('killed');
        // The retryable task that was not cancelled is resent; the cancelled one is not.
        expect(p.outcomeOf(lost!)).toEqual([{ id: lost, ok: false, error: { code: 'CANCELLED', message: expect.stringContaining('before it finished') } }]);
        p.clock.increment(100);
        p.thread('crypto-0').ready();
        expect(p.thread('crypto-0').pending.map((t) => t.id)).toEqual([kept]);
        p.thread('crypto-0').complete();
        expect(p.actor.getSnapshot().context.cancelled.crypto).toEqual([]); // forgotten once nothing is in flight
      } finally {
        p.actor.stop();
      }
    });
  });
});
