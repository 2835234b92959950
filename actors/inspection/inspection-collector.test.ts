import { describe, expect, it } from 'vitest';
import { assign, createActor, createMachine, fromPromise, sendTo, setup } from 'xstate';
import { InspectionCollector, type InspectionRecord } from './inspection-collector.ts';
import { RingBuffer } from './ring-buffer.ts';
import { summarize } from './summarize.ts';

describe('RingBuffer', () => {
  it('keeps the newest entries, oldest first, and counts what it dropped', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.dropped).toBe(2);
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('keeps small values, bounds big ones and redacts secrets at any depth', () => {
    expect(summarize({ n: 1, ok: true, name: 'Ada', nested: { passphrase: 'hunter2', apiKey: 'sk-1', token: 't' } })).toEqual({
      n: 1,
      ok: true,
      name: 'Ada',
      nested: { passphrase: '«redacted»', apiKey: '«redacted»', token: '«redacted»' },
    });
    expect(summarize('x'.repeat(500))).toMatch(/… \(500 chars\)$/);
    expect(summarize(new Uint8Array(32))).toBe('«32 bytes»');
    expect(summarize({ gone: undefined, list: [undefined, 1] })).toEqual({ list: [null, 1] });
    expect(summarize(Array.from({ length: 20 }, (_, i) => i))).toHaveLength(9);
    expect(summarize({ a: { b: { c: { d: 1 } } } })).toEqual({ a: { b: { c: '«…»' } } });
    expect(JSON.parse(JSON.stringify(summarize({ f: () => 1, inf: Infinity })))).toEqual({ f: '«function»', inf: 'Infinity' });
  });
});

const child = createMachine({ id: 'child', initial: 'idle', states: { idle: { on: { poke: 'poked' } }, poked: {} } });
const parent = setup({ actors: { child } }).createMachine({
  id: 'parent',
  context: { count: 0, passphrase: 'never shown' },
  invoke: { src: 'child', id: 'kid', systemId: 'kid' },
  initial: 'a',
  states: { a: { on: { go: { target: 'b', actions: [assign({ count: 1 }), sendTo('kid', { type: 'poke' })] } } }, b: {} },
});

describe('InspectionCollector', () => {
  it('records every actor of a tree: transitions with state, event and a safe context summary', () => {
    const collector = new InspectionCollector({ batchMs: 0, now: () => 42 });
    const batches: (readonly InspectionRecord[])[] = [];
    collector.subscribe((batch) => batches.push(batch));
    const actor = createActor(parent, { inspect: collector.inspect }).start();
    actor.send({ type: 'go' });
    const records = collector.recent();
    const parentSnapshots = records.filter((r) => r.type === 'snapshot' && r.name === 'parent');
    expect(parentSnapshots.at(-1)).toMatchObject({ state: 'b', event: { type: 'go' }, contextSummary: { count: 1, passphrase: '«redacted»' }, at: 42 });
    expect(records.filter((r) => r.type === 'snapshot' && r.systemId === 'kid').at(-1)).toMatchObject({ name: 'kid', state: 'poked' });
    expect(records.some((r) => r.type === 'event' && r.event?.type === 'poke')).toBe(true);
    expect(batches.flat()).toEqual(records);
    actor.stop();
  });

  it('batches deliveries and stays bounded', async () => {
    const collector = new InspectionCollector({ capacity: 5, batchMs: 5 });
    const batches: number[] = [];
    collector.subscribe((batch) => batches.push(batch.length));
    const actor = createActor(parent, { inspect: collector.inspect }).start();
    actor.send({ type: 'go' });
    expect(batches).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches).toHaveLength(1);
    expect(collector.recent()).toHaveLength(5);
    expect(collector.dropped).toBeGreaterThan(0);
    actor.stop();
  });

  it('names each machine\'s definition and parent, and keeps the definition once', () => {
    const collector = new InspectionCollector({ batchMs: 0 });
    const actor = createActor(parent, { inspect: collector.inspect }).start();
    const records = collector.recent();
    const root = records.find((r) => r.name === 'parent')!;
    const kid = records.find((r) => r.name === 'kid')!;
    expect(root.machine).toMatch(/^parent@[0-9a-f]{8}$/);
    expect(root.parent).toBeUndefined();
    expect(kid).toMatchObject({ parent: root.actorId, machine: expect.stringMatching(/^child@/) });
    expect(collector.definition(root.machine!)!.root.states!.map((s) => s.key)).toEqual(['a', 'b']);
    expect(JSON.stringify(records)).not.toContain('"root"');
    actor.stop();
  });

  it('gives a newly opened inspector the live actors, the history and their definitions', async () => {
    const collector = new InspectionCollector({ batchMs: 0 });
    const job = fromPromise(async () => 'done');
    const machine = setup({ actors: { child, job } }).createMachine({
      id: 'host',
      initial: 'working',
      invoke: { src: 'child', id: 'kid' },
      states: { working: { invoke: { src: 'job', id: 'job', onDone: 'idle' } }, idle: {} },
    });
    const actor = createActor(machine, { inspect: collector.inspect }).start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const overview = collector.overview();
    expect(overview.actors.map((r) => [r.name, r.state])).toEqual([['host', 'idle'], ['kid', 'idle']]);
    expect(overview.recent.some((r) => r.name === 'job')).toBe(true);
    expect(overview.recent.every((r) => r.contextSummary === undefined)).toBe(true);
    expect(Object.keys(overview.definitions).sort()).toEqual([overview.actors[0]!.machine, overview.actors[1]!.machine].sort());
    actor.stop();
    expect(collector.overview().actors).toEqual([]);
  });
});
