import { describe, expect, it } from 'vitest';
import { activePaths, InspectorModel, LOG_CAPACITY, type FeedRecord } from './inspector-model.ts';

const snapshot = (actorId: string, state: unknown, event: string, at: number, extra: Partial<FeedRecord> = {}): FeedRecord => ({
  actorId,
  name: actorId === 'x:0' ? 'app' : 'kid',
  type: 'snapshot',
  state,
  status: 'active',
  event: { type: event },
  at,
  ...extra,
});

describe('InspectorModel', () => {
  it('keeps each actor\'s latest snapshot and logs what moved it, from which state to which, and who sent it', () => {
    const model = new InspectorModel();
    model.ingest('node', [
      { actorId: 'x:0', name: 'app', type: 'snapshot', status: 'active', event: { type: 'xstate.start' }, at: 1, machine: 'app@1' },
      snapshot('x:0', 'starting', 'xstate.init', 2, { contextSummary: { n: 1 } }),
      { actorId: 'x:1', name: 'kid', parent: 'x:0', type: 'snapshot', status: 'active', event: { type: 'xstate.start' }, at: 3 },
      { actorId: 'x:0', name: 'app', type: 'event', event: { type: 'go' }, source: 'x:1', at: 4 },
      snapshot('x:0', { live: 'running' }, 'go', 4),
    ]);
    expect(model.actor('node:x:0')).toMatchObject({ state: { live: 'running' }, previousState: 'starting', context: { n: 1 }, machine: 'app@1', transitions: 2, lastEvent: 'go' });
    expect(model.actor('node:x:1')).toMatchObject({ parent: 'node:x:0', status: 'active' });
    expect(model.log.map((e) => [e.actorName, e.event, e.from, e.to, e.sender])).toEqual([
      ['app', 'xstate.start', undefined, 'active', undefined],
      ['app', 'xstate.init', 'active', 'starting', undefined],
      ['kid', 'xstate.start', undefined, 'active', undefined],
      ['app', 'go', 'starting', 'live.running', 'kid'],
    ]);
  });

  it('puts a feed\'s history before what arrived since, once, and keeps the newer of two pictures of an actor', () => {
    const model = new InspectorModel();
    model.ingest('node', [snapshot('x:0', 'b', 'next', 20)]);
    model.seed('node', {
      actors: [snapshot('x:0', 'a', 'prev', 10), snapshot('x:1', 'idle', 'xstate.init', 5)],
      recent: [snapshot('x:0', 'a', 'xstate.init', 5), snapshot('x:0', 'b', 'next', 20)],
    });
    expect(model.actor('node:x:0')!.state).toBe('b');
    expect(model.actor('node:x:1')!.state).toBe('idle');
    expect(model.log.map((e) => [e.at, e.event, e.to])).toEqual([
      [5, 'xstate.init', 'a'],
      [20, 'next', 'b'],
    ]);
  });

  it('drops the actors an overview no longer lists, unless heard from since', () => {
    const model = new InspectorModel();
    model.ingest('node', [snapshot('x:0', 'a', 'xstate.init', 1), snapshot('x:5', 'a', 'xstate.init', 2), snapshot('x:6', 'a', 'xstate.init', 30)]);
    model.seed('node', { actors: [snapshot('x:0', 'b', 'go', 10)], recent: [] });
    expect(model.actors.map((a) => a.key)).toEqual(['node:x:0', 'node:x:6']);
  });

  it('forgets a feed whose host started again, and stays bounded', () => {
    const model = new InspectorModel();
    model.ingest('browser', [snapshot('x:0', 'a', 'xstate.init', 1)]);
    model.ingest('node', [snapshot('x:0', 'a', 'xstate.init', 1)]);
    model.forget('node');
    expect(model.actors.map((a) => a.key)).toEqual(['browser:x:0']);
    model.ingest('browser', Array.from({ length: LOG_CAPACITY + 50 }, (_, i) => snapshot('x:0', i % 2 ? 'a' : 'b', 'flip', i + 2)));
    expect(model.log).toHaveLength(LOG_CAPACITY);
    expect(model.logged).toBe(LOG_CAPACITY + 52);
    model.clearLog();
    expect(model.log).toEqual([]);
  });
});

describe('activePaths', () => {
  it('lists every active state with its ancestors, across parallel regions', () => {
    expect([...activePaths({ answering: { tools: 'running' } })]).toEqual(['', 'answering', 'answering.tools', 'answering.tools.running']);
    expect([...activePaths({ live: { running: { a: 'up', b: 'backingOff' } } })].sort()).toEqual(['', 'live', 'live.running', 'live.running.a', 'live.running.a.up', 'live.running.b', 'live.running.b.backingOff']);
    expect([...activePaths(undefined)]).toEqual(['']);
  });
});
