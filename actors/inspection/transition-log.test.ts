import { describe, expect, it } from 'vitest';
import type { InspectionRecord } from './inspection-collector.ts';
import { formatState, TransitionLog } from './transition-log.ts';

const snap = (actorId: string, state: unknown, event: string): InspectionRecord => ({ actorId, name: 'app', type: 'snapshot', state, event: { type: event }, at: 0 });

describe('TransitionLog', () => {
  it('prints a line per state change and nothing for context-only snapshots', () => {
    const log = new TransitionLog();
    expect(log.lines([snap('x:1', 'starting', 'xstate.init')])).toEqual(['app  ◦ → starting  (xstate.init)']);
    expect(log.lines([snap('x:1', 'starting', 'tick'), snap('x:1', { live: 'provisioning' }, 'xstate.done.actor.0')])).toEqual([
      'app  starting → live.provisioning  (xstate.done.actor.0)',
    ]);
  });

  it('formats nested and parallel states', () => {
    expect(formatState({ live: { running: { workerPool: 'up' } } })).toBe('live.running.workerPool.up');
    expect(formatState({ running: { a: 'up', b: 'backingOff' } })).toBe('running.{a.up|b.backingOff}');
  });
});
