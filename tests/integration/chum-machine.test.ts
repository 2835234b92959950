import { describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { chumEngine } from '../../actors/chum/chum-engine.ts';
import { crypto, message, testPeer, topic } from '../../actors/chum/chum-test-kit.ts';
import { MemoryLink } from '../../actors/chum/memory-link.ts';
import { setAccess } from '../../actors/store/access.ts';
import { chumSessionMachine, type SyncProgress } from '../../machines/chum-session.ts';

/** The session machine with the real engine, as a host wires it: one per connection. */
describe('chum session machine with the real engine', () => {
  it('syncs, announces progress up to the total, and closes both ends when stopped', async () => {
    const a = testPeer('a');
    const b = testPeer('b');
    const messages = await a.store.putMany(Array.from({ length: 200 }, (_, i) => message(`m${i}`)));
    const t = await a.store.putVersioned(topic('t', messages));
    await setAccess(a.store, { id: t.idHash }, { persons: [b.person] });
    const link = new MemoryLink();
    const start = (self: typeof a, other: typeof b, port: typeof link.a) =>
      createActor(chumSessionMachine.provide({ actors: { engine: chumEngine({ store: self.store, crypto, port, peer: { personId: other.person, instanceId: other.instance } }) } }), {
        input: { peer: other.instance },
      }).start();
    const sideA = start(a, b, link.a);
    const sideB = start(b, a, link.b);
    const announced: SyncProgress[] = [];
    sideB.on('status.syncProgress', ({ objectsDone, objectsTotal, bytesDone, bytesTotal }) => announced.push({ objectsDone, objectsTotal, bytesDone, bytesTotal }));
    await waitFor(sideB, (s) => s.matches({ active: { session: 'live' } }), { timeout: 5_000 });
    await waitFor(sideB, (s) => s.matches({ active: { progress: 'quiet' } }), { timeout: 5_000 });
    expect(announced.at(-1)).toEqual({ objectsDone: 203, objectsTotal: 203, bytesDone: expect.any(Number), bytesTotal: expect.any(Number) });
    expect(announced.at(-1)!.bytesDone).toBe(announced.at(-1)!.bytesTotal);
    expect(await b.store.has(messages)).not.toContain(false);

    sideA.send({ type: 'session.close' });
    await waitFor(sideB, (s) => s.status === 'done', { timeout: 5_000 });
    expect(sideB.getSnapshot().output?.outcome).toBe('closed');
    expect(link.closed).toBeDefined();
  });
});
