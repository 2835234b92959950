import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import { FakeThreads, reportRecorder } from '../actors/workers/fake-thread.ts';
import { workerMachine, type WorkerReport } from './worker.ts';
import type { WorkerTask } from './worker-task.ts';

function task(id: number, overrides: Partial<WorkerTask> = {}): WorkerTask {
  return { id, kind: 'crypto', op: 'sign', payload: id, transfer: [], idempotent: true, ...overrides };
}

const dispatch = (tasks: WorkerTask[], timeoutMs = 1_000) => ({ type: 'worker.dispatch' as const, tasks, timeoutMs });

/** A simulated clock that knows which timers are still armed. */
class CountingClock extends SimulatedClock {
  readonly armed = new Set<number>();
  override setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    const id: number = super.setTimeout((...args: unknown[]) => {
      this.armed.delete(id);
      fn(...args);
    }, timeout);
    this.armed.add(id);
    return id;
  }
  override clearTimeout(id: number): void {
    this.armed.delete(id);
    super.clearTimeout(id);
  }
}

function start(maxRestarts = 2) {
  const clock = new CountingClock();
  const threads = new FakeThreads();
  const recorder = reportRecorder();
  const actor = createActor(workerMachine.provide({ actors: { thread: threads.actor } }), {
    input: { workerId: 'crypto-0', kind: 'crypto', reportTo: recorder.ref, maxRestarts },
    clock,
  }).start();
  const of = <T extends WorkerReport['type']>(type: T) => recorder.reports.filter((r): r is Extract<WorkerReport, { type: T }> => r.type === type);
  const states = () => of('worker.status').map((r) => r.state);
  const stop = () => {
    actor.stop();
    recorder.stop();
  };
  return { actor, clock, threads, of, states, stop, thread: () => threads.of('crypto-0') };
}

describe('worker machine', () => {
  it('spawns a thread, becomes ready, runs a batch and settles it', () => {
    const w = start();
    try {
      expect(w.actor.getSnapshot().value).toEqual({ running: 'spawning' });
      w.thread().ready();
      w.actor.send(dispatch([task(1), task(2)]));
      expect(w.actor.getSnapshot().value).toEqual({ running: 'busy' });
      expect(w.thread().messages).toEqual([[task(1), task(2)]]);

      w.thread().complete([task(1)]);
      expect(w.actor.getSnapshot().value).toEqual({ running: 'busy' }); // task 2 still out
      w.thread().complete();
      expect(w.actor.getSnapshot().value).toEqual({ running: 'ready' });
      expect(w.of('worker.settled').map((r) => r.outcomes.map((o) => o.id))).toEqual([[1], [2]]);
      expect(w.states()).toEqual(['spawning', 'ready', 'busy', 'ready']);
    } finally {
      w.stop();
    }
  });

  it('ignores answers for tasks it does not have in flight', () => {
    const w = start();
    try {
      w.thread().ready();
      w.actor.send(dispatch([task(1)]));
      w.thread().answer([{ id: 99, ok: true, result: null }]);
      expect(w.actor.getSnapshot().value).toEqual({ running: 'busy' });
      expect(w.of('worker.settled')).toEqual([]);
    } finally {
      w.stop();
    }
  });

  it('hands every in-flight task back when the thread dies, then restarts after the backoff', () => {
    const w = start();
    try {
      w.thread().ready();
      w.actor.send(dispatch([task(1)]));
      w.actor.send(dispatch([task(2), task(3)]));
      const first = w.thread();
      first.exit('killed');

      expect(first.terminated).toBe(true);
      expect(w.of('worker.crashed')).toEqual([
        { type: 'worker.crashed', workerId: 'crypto-0', reason: 'exit', message: 'killed', timedOut: [], lost: [task(1), task(2), task(3)] },
      ]);
      expect(w.actor.getSnapshot().value).toBe('restarting');
      expect(w.threads.count('crypto-0')).toBe(1);

      w.clock.increment(99);
      expect(w.threads.count('crypto-0')).toBe(1); // the backoff has not elapsed
      w.clock.increment(1);
      expect(w.threads.count('crypto-0')).toBe(2);
      expect(w.actor.getSnapshot().value).toEqual({ running: 'spawning' });
      expect(w.actor.getSnapshot().context.restarts).toBe(1);
    } finally {
      w.stop();
    }
  });

  it('doubles the backoff with each consecutive crash and gives up after maxRestarts', () => {
    const w = start(2);
    try {
      w.thread().exit(); // crash 1: 100 ms
      w.clock.increment(100);
      w.thread().exit(); // crash 2: 200 ms
      w.clock.increment(199);
      expect(w.threads.count('crypto-0')).toBe(2);
      w.clock.increment(1);
      expect(w.threads.count('crypto-0')).toBe(3);
      w.thread().exit(); // crash 3 > maxRestarts
      expect(w.actor.getSnapshot().value).toBe('failed');
      expect(w.states()).toEqual(['spawning', 'restarting', 'spawning', 'restarting', 'spawning', 'failed']);
      expect(w.actor.getSnapshot().context.lastError).toBe('worker exited with code 1');
    } finally {
      w.stop();
    }
  });

  it('a completed answer ends the crash streak', () => {
    const w = start(1);
    try {
      w.thread().exit();
      w.clock.increment(100);
      w.thread().ready();
      w.actor.send(dispatch([task(1)]));
      w.thread().complete();
      expect(w.actor.getSnapshot().context.crashes).toBe(0);
      w.thread().exit(); // would be the second consecutive crash without the reset
      expect(w.actor.getSnapshot().value).toBe('restarting');
    } finally {
      w.stop();
    }
  });

  it('times a batch out: that batch as timedOut, the others as lost, and the thread is replaced', () => {
    const w = start();
    try {
      w.thread().ready();
      w.actor.send(dispatch([task(1)], 50));
      w.clock.increment(10);
      w.actor.send(dispatch([task(2)], 20));
      w.clock.increment(40);

      const [crash] = w.of('worker.crashed');
      expect(crash?.reason).toBe('timeout');
      expect(crash?.timedOut.map((t) => t.id)).toEqual([1]);
      expect(crash?.lost.map((t) => t.id)).toEqual([2]);
      expect(w.thread().terminated).toBe(true);
      expect(w.actor.getSnapshot().value).toBe('restarting');
      // Nothing else stays armed: no second report later.
      expect(w.clock.armed.size).toBe(1); // the backoff
      w.clock.increment(100);
      expect(w.of('worker.crashed')).toHaveLength(1);
    } finally {
      w.stop();
    }
  });

  it('starts a batch’s deadline when the worker gets to it, not while it waits behind another', () => {
    const w = start();
    try {
      w.thread().ready();
      w.actor.send(dispatch([task(1)], 50));
      w.actor.send(dispatch([task(2)], 500)); // queued behind batch 1 in the worker
      w.clock.increment(40);
      w.thread().complete([task(1)]); // the worker gets to batch 2 at t = 40
      w.clock.increment(499);
      expect(w.of('worker.crashed')).toEqual([]);
      w.clock.increment(1); // t = 540: 500 ms after it became the oldest
      expect(w.of('worker.crashed')[0]).toMatchObject({ reason: 'timeout', timedOut: [task(2)], lost: [] });
    } finally {
      w.stop();
    }
  });

  it('disarms a batch deadline once the batch is answered', () => {
    const w = start();
    try {
      w.thread().ready();
      w.actor.send(dispatch([task(1)], 50));
      expect(w.clock.armed.size).toBe(1);
      w.thread().complete();
      // No timer left behind: with long timeouts, stale ones would pile up per batch.
      expect(w.clock.armed.size).toBe(0);
      w.clock.increment(1_000);
      expect(w.of('worker.crashed')).toEqual([]);
      expect(w.actor.getSnapshot().value).toEqual({ running: 'ready' });
    } finally {
      w.stop();
    }
  });

  it('returns a dispatch that arrives while no thread is up', () => {
    const w = start(0);
    try {
      w.actor.send(dispatch([task(1)])); // spawning
      w.thread().exit(); // maxRestarts 0: gives up at once
      w.actor.send(dispatch([task(2)])); // failed
      expect(w.of('worker.returned').map((r) => r.tasks.map((t) => t.id))).toEqual([[1], [2]]);
      expect(w.thread().messages).toEqual([]);
    } finally {
      w.stop();
    }
  });

  it('treats a thread that cannot even be opened as a crash', () => {
    const clock = new SimulatedClock();
    const recorder = reportRecorder();
    // The default `thread` is notProvided: opening it throws.
    const actor = createActor(workerMachine, { input: { workerId: 'llm-0', kind: 'llm', reportTo: recorder.ref, maxRestarts: 0 }, clock }).start();
    try {
      expect(actor.getSnapshot().value).toBe('failed');
      const crash = recorder.reports.find((r) => r.type === 'worker.crashed');
      expect(crash).toMatchObject({ reason: 'error', message: expect.stringContaining('thread: effect not provided') });
    } finally {
      actor.stop();
      recorder.stop();
    }
  });

  it('passes progress on for tasks in flight only, and a cancel to the thread for its own tasks only', () => {
    const w = start();
    try {
      w.thread().ready();
      w.thread().progress(1, 'stale'); // nothing in flight: ignored
      w.actor.send(dispatch([task(1), task(2)]));
      w.thread().progress(2, 'half');
      w.actor.send({ type: 'worker.cancel', ids: [2, 7] });
      w.actor.send({ type: 'worker.cancel', ids: [7] });
      w.thread().complete();
      w.thread().progress(2, 'late'); // answered: ignored
      w.actor.send({ type: 'worker.cancel', ids: [1] }); // answered: nothing to stop
      expect(w.of('worker.progress')).toEqual([{ type: 'worker.progress', workerId: 'crypto-0', id: 2, data: 'half' }]);
      expect(w.thread().cancels).toEqual([[2]]);
    } finally {
      w.stop();
    }
  });
});
