import { describe, expect, it } from 'vitest';
import { createActor, fromCallback, SimulatedClock } from 'xstate';
import { chumSessionMachine, PROGRESS_INTERVAL_MS, type ChumEngineEvent, type ChumFetch, type ChumSessionInput, type SyncProgress } from './chum-session.ts';

/** The session chart with a fake engine the test speaks for. */
function harness() {
  const clock = new SimulatedClock();
  const engine: { sendBack?: (event: ChumEngineEvent) => void; received: ChumFetch[]; stopped: boolean } = { received: [], stopped: false };
  const machine = chumSessionMachine.provide({
    actors: {
      engine: fromCallback<ChumFetch, ChumSessionInput>(({ sendBack, receive }) => {
        engine.sendBack = sendBack;
        receive((event) => engine.received.push(event));
        return () => {
          engine.stopped = true;
        };
      }),
    },
  });
  const actor = createActor(machine, { input: { peer: 'browser' }, clock });
  const announced: SyncProgress[] = [];
  actor.on('status.syncProgress', ({ type: _type, peer, ...progress }) => {
    expect(peer).toBe('browser');
    announced.push(progress);
  });
  actor.start();
  return { actor, clock, engine, announced, report: (event: ChumEngineEvent) => engine.sendBack!(event) };
}

const progress = (objectsDone: number): SyncProgress => ({ objectsDone, objectsTotal: 100, bytesDone: objectsDone * 10, bytesTotal: 1000 });

describe('chum session machine', () => {
  it('goes greeting → syncing → live as the engine reports', () => {
    const h = harness();
    expect(h.actor.getSnapshot().value).toEqual({ active: { session: 'greeting', progress: 'quiet' } });
    h.report({ type: 'chum.greeted' });
    h.report({ type: 'chum.synced' });
    expect(h.actor.getSnapshot().matches({ active: { session: 'live' } })).toBe(true);
    h.actor.stop();
  });

  it('announces progress at most once per interval, and the latest when the interval ends', () => {
    const h = harness();
    h.report({ type: 'chum.greeted' });
    // 1,000 reports over one simulated second, one per millisecond.
    for (let i = 1; i <= 1000; i++) {
      h.report({ type: 'chum.progress', progress: progress(i / 10) });
      h.clock.increment(1);
    }
    expect(h.announced.length).toBeLessThanOrEqual(1000 / PROGRESS_INTERVAL_MS + 1);
    expect(h.announced[0]).toEqual(progress(0.1));
    h.clock.increment(PROGRESS_INTERVAL_MS);
    expect(h.announced.at(-1)).toEqual(progress(100));
    // Nothing new: nothing more.
    const count = h.announced.length;
    h.clock.increment(10 * PROGRESS_INTERVAL_MS);
    expect(h.announced).toHaveLength(count);
    h.actor.stop();
  });

  it('announces a change at once after a quiet interval', () => {
    const h = harness();
    h.report({ type: 'chum.progress', progress: progress(1) });
    h.clock.increment(2 * PROGRESS_INTERVAL_MS);
    h.report({ type: 'chum.progress', progress: progress(2) });
    expect(h.announced).toEqual([progress(1), progress(2)]);
    h.actor.stop();
  });

  it('ends failed with the engine\'s error, announcing the progress still held back', () => {
    const h = harness();
    h.report({ type: 'chum.progress', progress: progress(1) });
    h.report({ type: 'chum.progress', progress: progress(7) });
    h.report({ type: 'chum.failed', error: { code: 'HASH_MISMATCH', message: 'bad bytes' } });
    const snapshot = h.actor.getSnapshot();
    expect(snapshot.status).toBe('done');
    expect(snapshot.output).toEqual({ outcome: 'failed', reason: 'HASH_MISMATCH: bad bytes', error: { code: 'HASH_MISMATCH', message: 'bad bytes' } });
    expect(h.announced).toEqual([progress(1), progress(7)]);
    expect(h.engine.stopped).toBe(true);
  });

  it('forwards fetches to the engine and stops it when the host closes the session', () => {
    const h = harness();
    h.actor.send({ type: 'chum.fetch', hashes: ['a'.repeat(64)], kind: 'object' });
    expect(h.engine.received).toEqual([{ type: 'chum.fetch', hashes: ['a'.repeat(64)], kind: 'object' }]);
    h.actor.send({ type: 'session.close' });
    expect(h.actor.getSnapshot().output).toEqual({ outcome: 'closed', reason: 'closed by this side' });
    expect(h.engine.stopped).toBe(true);
  });
});
