import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock, waitFor } from 'xstate';
import { healthBackoff, llmProviderHealthMachine, type HealthEmitted, type HealthReport } from './llm-provider-health.ts';

const policy = { recheckMs: 60_000, backoffBaseMs: 1_000, backoffMaxMs: 8_000 };
const OK: HealthReport = { status: 'ok', latencyMs: 3 };
const DOWN: HealthReport = { status: 'unreachable', message: 'nothing answers' };
const REFUSED: HealthReport = { status: 'unauthorized', message: 'wrong key' };

/** Probes settled by hand, so each state between a check and its answer can be looked at. */
function start() {
  const clock = new SimulatedClock();
  const pending: { resolve: (report: HealthReport) => void; reject: (error: Error) => void }[] = [];
  const probe = fromPromise<HealthReport, { providerId: string }>(() => new Promise((resolve, reject) => pending.push({ resolve, reject })));
  const actor = createActor(llmProviderHealthMachine.provide({ actors: { probe } }), { input: { providerId: 'ollama', policy }, clock });
  const checked: HealthEmitted[] = [];
  actor.on('health.checked', (event) => void checked.push(event));
  actor.start();
  const answer = async (report: HealthReport) => {
    const next = pending.shift();
    if (!next) throw new Error('no probe is waiting');
    next.resolve(report);
    await waitFor(actor, (s) => !s.matches('checking'));
  };
  const state = () => actor.getSnapshot().value;
  return { actor, clock, pending, checked, answer, state };
}

describe('llm provider health', () => {
  it('checks at once, then rechecks a healthy provider every recheckMs', async () => {
    const { actor, clock, pending, checked, answer, state } = start();
    try {
      expect(state()).toBe('checking');
      await answer(OK);
      expect(state()).toBe('healthy');
      expect(checked).toEqual([{ type: 'health.checked', providerId: 'ollama', report: OK }]);
      clock.increment(59_999);
      expect(pending).toHaveLength(0);
      clock.increment(1);
      expect(state()).toBe('checking');
      expect(pending).toHaveLength(1);
    } finally {
      actor.stop();
    }
  });

  it('backs off while unreachable, doubling up to the cap, and resets once healthy', async () => {
    const { actor, clock, pending, answer, state } = start();
    try {
      const waits: number[] = [];
      for (let failure = 1; failure <= 5; failure++) {
        await answer(DOWN);
        expect(state()).toBe('backingOff');
        expect(actor.getSnapshot().context.failures).toBe(failure);
        let waited = 0;
        while (pending.length === 0) {
          clock.increment(250);
          waited += 250;
        }
        waits.push(waited);
      }
      expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
      await answer(OK);
      expect(actor.getSnapshot().context).toMatchObject({ failures: 0, report: OK });
    } finally {
      actor.stop();
    }
  });

  it('treats a provider error like unreachable: back off and retry', async () => {
    const { actor, clock, pending, answer, state } = start();
    try {
      await answer({ status: 'error', message: '500' });
      expect(state()).toBe('backingOff');
      clock.increment(1_000);
      expect(pending).toHaveLength(1);
    } finally {
      actor.stop();
    }
  });

  it('waits for an explicit check after a refused key, however long', async () => {
    const { actor, clock, pending, answer, state, checked } = start();
    try {
      await answer(REFUSED);
      expect(state()).toBe('refused');
      clock.increment(24 * 3_600_000);
      expect(pending).toHaveLength(0);
      actor.send({ type: 'health.check' });
      expect(state()).toBe('checking');
      await answer(OK);
      expect(state()).toBe('healthy');
      expect(checked.map((event) => event.report.status)).toEqual(['unauthorized', 'ok']);
    } finally {
      actor.stop();
    }
  });

  it('checks on demand from healthy and from backingOff, and runs one probe at a time', async () => {
    const { actor, pending, answer, state } = start();
    try {
      actor.send({ type: 'health.check' });
      expect(pending).toHaveLength(1);
      await answer(OK);
      actor.send({ type: 'health.check' });
      expect(state()).toBe('checking');
      await answer(DOWN);
      expect(state()).toBe('backingOff');
      actor.send({ type: 'health.check' });
      expect(state()).toBe('checking');
      expect(pending).toHaveLength(1);
    } finally {
      actor.stop();
    }
  });

  it('counts a probe that throws as an error report', async () => {
    const { actor, pending, state, checked } = start();
    try {
      pending.shift()!.reject(new Error('probe broke'));
      await waitFor(actor, (s) => s.matches('backingOff'));
      expect(state()).toBe('backingOff');
      expect(checked[0]?.report).toEqual({ status: 'error', message: 'probe broke' });
    } finally {
      actor.stop();
    }
  });

  it('computes the backoff from the policy', () => {
    expect([1, 2, 3, 4, 5].map((failures) => healthBackoff(policy, failures))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
  });
});
