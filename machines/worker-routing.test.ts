import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planDispatch } from './worker-routing.ts';
import type { WorkerTask } from './worker-task.ts';

const task = (id: number, timeoutMs: number): WorkerTask => ({
  id,
  kind: 'crypto',
  op: 'sign',
  payload: null,
  transfer: [],
  idempotent: true,
  timeoutMs,
});

const scenario = fc.record({
  timeouts: fc.array(fc.constantFrom(100, 100, 100, 200), { maxLength: 60 }),
  loads: fc.array(fc.nat(6), { minLength: 0, maxLength: 4 }),
  maxBatch: fc.integer({ min: 1, max: 8 }),
  maxInFlight: fc.integer({ min: 1, max: 8 }),
});

describe('planDispatch', () => {
  it('keeps every task exactly once, in FIFO order, within the limits, and leaves no room unused', () => {
    fc.assert(
      fc.property(scenario, ({ timeouts, loads, maxBatch, maxInFlight }) => {
        const queue = timeouts.map((t, i) => task(i, t));
        const candidates = loads.map((inFlight, i) => ({ id: `w${i}`, inFlight: Math.min(inFlight, maxInFlight) }));
        const plan = planDispatch(queue, candidates, { maxBatch, maxInFlight });

        expect([...plan.sends.flatMap((s) => s.tasks), ...plan.queue].map((t) => t.id)).toEqual(queue.map((t) => t.id));
        for (const { tasks } of plan.sends) {
          expect(tasks.length).toBeGreaterThan(0);
          expect(tasks.length).toBeLessThanOrEqual(maxBatch);
          expect(new Set(tasks.map((t) => t.timeoutMs)).size).toBe(1);
        }
        for (const c of candidates) {
          const sent = plan.sends.filter((s) => s.workerId === c.id).reduce((n, s) => n + s.tasks.length, 0);
          expect(plan.inFlight.get(c.id)).toBe(c.inFlight + sent);
          expect(plan.inFlight.get(c.id)).toBeLessThanOrEqual(maxInFlight);
        }
        // Work-conserving: tasks stay queued only when no worker has room.
        if (plan.queue.length > 0) for (const c of candidates) expect(plan.inFlight.get(c.id)).toBe(maxInFlight);
      }),
    );
  });

  it('sends each chunk to a least busy worker', () => {
    fc.assert(
      fc.property(scenario, ({ timeouts, loads, maxBatch, maxInFlight }) => {
        const candidates = loads.map((inFlight, i) => ({ id: `w${i}`, inFlight: Math.min(inFlight, maxInFlight) }));
        const plan = planDispatch(
          timeouts.map((t, i) => task(i, t)),
          candidates,
          { maxBatch, maxInFlight },
        );
        const load = new Map(candidates.map((c) => [c.id, c.inFlight]));
        for (const { workerId, tasks } of plan.sends) {
          const lightest = Math.min(...[...load.values()].filter((n) => n < maxInFlight));
          expect(load.get(workerId)).toBe(lightest);
          load.set(workerId, load.get(workerId)! + tasks.length);
        }
      }),
    );
  });

  it('evens out idle workers: ten tasks over two workers go five and five, one message each', () => {
    const plan = planDispatch(
      Array.from({ length: 10 }, (_, i) => task(i, 100)),
      [
        { id: 'a', inFlight: 0 },
        { id: 'b', inFlight: 0 },
      ],
      { maxBatch: 64, maxInFlight: 64 },
    );
    expect(plan.sends.map((s) => [s.workerId, s.tasks.length])).toEqual([
      ['a', 5],
      ['b', 5],
    ]);
  });
});
