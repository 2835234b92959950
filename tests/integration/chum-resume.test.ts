import { describe, expect, it } from 'vitest';
import { connect, crypto, message, objectsOf, testPeer, topic } from '../../actors/chum/chum-test-kit.ts';
import { decodeMessage, MAX_OFFER_ITEMS, type Message } from '../../actors/chum/messages.ts';
import { setAccess } from '../../actors/store/access.ts';
import type { SHA256Hash } from '../../actors/store/hash.ts';

/** A connection cut mid-sync resumes from the receiver's cursor: nothing acknowledged crosses again. */

const decoded = (frames: Uint8Array[]): Message[] => frames.map(decodeMessage);
const offered = (messages: Message[]) => messages.flatMap((m) => (m.t === 'offer' ? m.items.map((i) => i.hash) : []));

describe('CHUM resuming after a cut', () => {
  it('re-announces nothing acknowledged and re-sends no object already stored', async () => {
    const a = testPeer('a');
    const b = testPeer('b');
    const count = 2 * MAX_OFFER_ITEMS + 500;
    const messages = await a.store.putMany(Array.from({ length: count }, (_, i) => message(`message ${i}`, { n: i })));
    const t = await a.store.putVersioned(topic('big', messages));
    await setAccess(a.store, { id: t.idHash }, { persons: [b.person] });

    // First connection: run until b has acknowledged the first offer and stored part of the second, then cut.
    const first = connect(a, b, { link: { manual: true } });
    const acks = () => decoded(first.link.sent.b).filter((m) => m.t === 'ack').length;
    let stored = 0;
    b.store.onWrite((write) => (stored += write.objects.length));
    await first.settle(() => {
      if (acks() >= 1 && stored > MAX_OFFER_ITEMS + 100) first.link.cut('network down');
      return 0;
    });
    expect(first.b.state).toBe('closed');
    const sentFirst = decoded(first.link.sent.a);
    const firstOffer = sentFirst.find((m) => m.t === 'offer')!;
    const storedBefore = new Set(await objectsOf(b.store));
    expect(storedBefore.size).toBeGreaterThan(MAX_OFFER_ITEMS + 100);
    expect(storedBefore.size).toBeLessThan(count);

    const second = connect(a, b);
    await second.settle();
    expect([second.a.state, second.b.state]).toEqual(['live', 'live']);
    const sentSecond = decoded(second.link.sent.a);
    const acknowledged = new Set(firstOffer.t === 'offer' ? firstOffer.items.map((i) => i.hash) : []);
    expect(acknowledged.size).toBe(MAX_OFFER_ITEMS);
    expect(offered(sentSecond).filter((h) => acknowledged.has(h))).toEqual([]);
    const resent = sentSecond.flatMap((m) => (m.t === 'objects' ? m.o : [])).filter((o) => o !== null);
    const all = new Set(await objectsOf(b.store));
    expect(resent.map((bytes) => crypto.sha256Hex(bytes)).filter((h) => storedBefore.has(h as SHA256Hash))).toEqual([]);
    expect(resent.length).toBe(all.size - storedBefore.size);
    expect(await b.store.has([...messages, t.versionHash])).not.toContain(false);
  });

  it('brings an old object that only a new version made visible, without offering it again', async () => {
    const a = testPeer('a');
    const b = testPeer('b');
    const [m1] = await a.store.putMany([message('one')]);
    const v1 = await a.store.putVersioned(topic('t', [m1!]));
    await setAccess(a.store, { id: v1.idHash }, { persons: [b.person] });
    const live = connect(a, b);
    await live.settle();
    // Written while b may not see it, then passed by the cursor (b acknowledges what came after).
    const [old] = await a.store.putMany([message('drafted long ago')]);
    const [m2] = await a.store.putMany([message('two')]);
    await a.store.putVersioned(topic('t', [m1!, m2!]));
    await live.settle();
    live.a.close();
    expect(await b.store.has([m2!, old!])).toEqual([true, false]);

    const v3 = await a.store.putVersioned(topic('t', [m1!, m2!, old!]));
    const next = connect(a, b);
    await next.settle();
    expect(offered(decoded(next.link.sent.a))).not.toContain(old);
    expect(await b.store.has([v3.versionHash, old!])).toEqual([true, true]);
  });

  it('brings all of what was granted while the two were apart, old as it is', async () => {
    const a = testPeer('a');
    const b = testPeer('b');
    const old = await a.store.putMany([message('x'), message('y')]);
    const archived = await a.store.putVersioned(topic('archived', old));
    const [m] = await a.store.putMany([message('current')]);
    const current = await a.store.putVersioned(topic('current', [m!]));
    await setAccess(a.store, { id: current.idHash }, { persons: [b.person] });
    await connect(a, b).settle();
    expect(await b.store.has([...old, archived.versionHash])).toEqual([false, false, false]);

    await setAccess(a.store, { id: archived.idHash }, { persons: [b.person] });
    await connect(a, b).settle();
    expect(await b.store.has([...old, archived.versionHash, archived.hash, archived.idHash])).toEqual([true, true, true, true, true]);
  });

  it('starts over when the sender store is not the one the cursor was for', async () => {
    const a = testPeer('a');
    const b = testPeer('b');
    const [one] = await a.store.putMany([message('one')]);
    await setAccess(a.store, { object: one! }, { persons: [b.person] });
    await connect(a, b).settle();
    // The same person and instance, with a store restored elsewhere: its arrival numbers mean nothing here.
    const restored = { ...a, store: (await import('../../actors/chum/chum-test-kit.ts')).testStore() };
    const [two] = await restored.store.putMany([message('two')]);
    await setAccess(restored.store, { object: two! }, { persons: [b.person] });
    await connect(restored, b).settle();
    expect(await b.store.has([one!, two!] as SHA256Hash[])).toEqual([true, true]);
  });
});
