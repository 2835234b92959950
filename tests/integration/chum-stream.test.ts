import { describe, expect, it } from 'vitest';
import { connect, crypto, message, objectsOf, testPeer, topic, type Peer } from '../../actors/chum/chum-test-kit.ts';
import { decodeMessage, MAX_OFFER_ITEMS, OFFER_WINDOW, type Message, type MessageOf } from '../../actors/chum/messages.ts';
import { setAccess } from '../../actors/store/access.ts';
import type { SHA256Hash } from '../../actors/store/hash.ts';

/**
 * A large first round from nothing is offered while the sender still walks its closure
 * (specs/chum.md §5.3): the offers made during the walk carry no `through`, each carries its own
 * totals and what it has walked smallest arrival number first, and wants are served between the
 * walk's batches.
 */

const COUNT = 6 * MAX_OFFER_ITEMS;
const decoded = (frames: Uint8Array[]): Message[] => frames.map(decodeMessage);
const offersIn = (messages: Message[]) => messages.filter((m): m is MessageOf<'offer'> => m.t === 'offer');

async function bigTopic(owner: Peer, to: Peer) {
  const messages = await owner.store.putMany(Array.from({ length: COUNT }, (_, i) => message(`message ${i}`, { n: i })));
  const version = await owner.store.putVersioned(topic('big', messages));
  await setAccess(owner.store, { id: version.idHash }, { persons: [to.person] });
  return { messages, ...version };
}

describe('CHUM streaming a large first round', () => {
  it('offers while it walks, serves wants meanwhile, and adds up to one complete round', async () => {
    const a = testPeer('a');
    const b = testPeer('b');
    const big = await bigTopic(a, b);
    const mark = await a.store.adapter.lastSeq();
    const c = connect(a, b);
    await c.settle();
    expect([c.a.state, c.b.state]).toEqual(['live', 'live']);
    expect(await b.store.has([...big.messages, big.hash, big.idHash, big.versionHash])).not.toContain(false);

    const sent = decoded(c.link.sent.a);
    const offers = offersIn(sent);
    const streamed = offers.filter((o) => o.through === undefined);
    expect(streamed.length).toBeGreaterThanOrEqual(OFFER_WINDOW);
    // The walk's offers come first, whole, each with its own totals; then offers with `through`, rising to the mark.
    expect(offers.slice(0, streamed.length)).toEqual(streamed);
    for (const offer of streamed) expect(offer.items).toHaveLength(MAX_OFFER_ITEMS);
    for (const offer of streamed) expect(offer.round).toEqual({ objects: offer.items.length, bytes: offer.items.reduce((sum, item) => sum + item.size, 0) });
    const after = offers.slice(streamed.length).map((o) => o.through!);
    expect(after).toEqual([...after].sort((x, y) => x - y));
    expect(after.at(-1)).toBe(mark);
    // Wants were answered before the walk was done.
    expect(sent.findIndex((m) => m.t === 'objects')).toBeLessThan(sent.indexOf(offers[streamed.length]!));
    // Smallest arrival number first: a message before the topic that lists it.
    for (const offer of streamed) {
      const seqs = (await a.store.adapter.getSeqs(offer.items.map((i) => i.hash))) as number[];
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }

    // Each object offered once; the totals of all offers are the round.
    const items = offers.flatMap((o) => o.items.map((i) => i.hash));
    expect(new Set(items).size).toBe(items.length);
    expect(items).toHaveLength(COUNT + 3);
    expect(offers.reduce((sum, o) => sum + (o.round?.objects ?? 0), 0)).toBe(items.length);
    // Nothing had to be fetched as a reference: every object came as an offered item.
    expect(c.b.progress.objectsTotal).toBe(items.length);
    expect(c.b.progress.objectsDone).toBe(c.b.progress.objectsTotal);
    expect(c.b.progress.bytesDone).toBe(c.b.progress.bytesTotal);
  });

  it('offers what is written during the walk once the walk is done', async () => {
    const a = testPeer('a');
    const b = testPeer('b');
    const big = await bigTopic(a, b);
    let later: Promise<{ versionHash: SHA256Hash }> | undefined;
    let duringWalk = false;
    const c = connect(a, b, {
      link: {
        fault: (frame) => {
          const sent = frame.from === 'a' && !later ? decodeMessage(frame.body!) : undefined;
          // The first offer leaves while the walk goes on (it has no `through`): write a new version now.
          if (sent?.t === 'offer') {
            duringWalk = sent.through === undefined;
            later = a.store.putMany([message('written during the walk')]).then(([m]) => a.store.putVersioned(topic('big', [...big.messages, m!])));
          }
          return 'deliver';
        },
      },
    });
    await c.settle();
    const { versionHash } = await later!;
    await c.settle();
    expect(duringWalk).toBe(true);
    expect([c.a.state, c.b.state]).toEqual(['live', 'live']);
    expect(await b.store.has([versionHash])).toEqual([true]);
    expect((await b.store.getLatest(big.idHash))?.versionHash).toBe(versionHash);
  });

  it('resumes a cut in the middle of the walk\'s offers from the cursor before them, sending nothing twice', async () => {
    const a = testPeer('a');
    const b = testPeer('b');
    const big = await bigTopic(a, b);
    const first = connect(a, b, { link: { manual: true } });
    let stored = 0;
    b.store.onWrite((write) => (stored += write.objects.length));
    const acks = () => decoded(first.link.sent.b).filter((m) => m.t === 'ack').length;
    await first.settle(() => {
      if (acks() >= 1 && stored > MAX_OFFER_ITEMS) first.link.cut('network down');
      return 0;
    });
    expect(first.b.state).toBe('closed');
    // The acknowledged offers carried no `through`: the cursor has not moved.
    expect(offersIn(decoded(first.link.sent.a))[0]!.through).toBeUndefined();
    const storedBefore = new Set(await objectsOf(b.store));
    expect(storedBefore.size).toBeGreaterThan(MAX_OFFER_ITEMS);

    const second = connect(a, b);
    await second.settle();
    expect([second.a.state, second.b.state]).toEqual(['live', 'live']);
    expect(await b.store.has([...big.messages, big.hash, big.versionHash])).not.toContain(false);
    const resent = decoded(second.link.sent.a).flatMap((m) => (m.t === 'objects' ? m.o : [])).filter((o) => o !== null);
    expect(resent.map((bytes) => crypto.sha256Hex(bytes) as SHA256Hash).filter((h) => storedBefore.has(h))).toEqual([]);
    expect(second.b.progress.objectsDone).toBe(second.b.progress.objectsTotal);
  });
});
