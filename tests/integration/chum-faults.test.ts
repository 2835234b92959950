import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connect, crypto, message, objectsOf, testPeer, topic, verifyAll, type Peer } from '../../actors/chum/chum-test-kit.ts';
import { Closure } from '../../actors/chum/closure.ts';
import { rootsFor } from '../../actors/chum/grants.ts';
import type { FrameFate } from '../../actors/chum/memory-link.ts';
import { CHUNK_BYTES } from '../../actors/chum/messages.ts';
import { setAccess } from '../../actors/store/access.ts';
import type { SHA256Hash } from '../../actors/store/hash.ts';

/**
 * The property (specs/chum.md §9): whatever happens to the frames — dropped, duplicated, delivered
 * out of order, the link cut and dialled again, any number of times — neither store ever holds an
 * object that does not verify, and after one clean connection both hold everything the other
 * granted them, with the same version heads. Seeded, so a failure replays exactly.
 */

interface Scenario {
  /** Per side: topics (by name index) and how many messages each version adds; a shared topic forks. */
  readonly a: number[][];
  readonly b: number[][];
  readonly shared: { readonly a: number; readonly b: number };
  readonly attachment: { readonly a: boolean; readonly b: boolean };
}

interface LinkPlan {
  readonly fates: FrameFate[];
  readonly picks: number[];
  /** Frames delivered before the link is cut (undefined: it runs until nothing moves). */
  readonly cutAfter: number | undefined;
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  a: fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }), { maxLength: 2 }),
  b: fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }), { maxLength: 2 }),
  shared: fc.record({ a: fc.integer({ min: 0, max: 2 }), b: fc.integer({ min: 0, max: 2 }) }),
  /** A message with an attachment of two chunks on this side. */
  attachment: fc.record({ a: fc.boolean(), b: fc.boolean() }),
});

const linkPlan: fc.Arbitrary<LinkPlan> = fc.record({
  fates: fc.array(fc.constantFrom<FrameFate>(...Array<FrameFate>(9).fill('deliver'), 'drop', 'duplicate'), { minLength: 1, maxLength: 30 }),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
  cutAfter: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
});

async function build(peer: Peer, other: Peer, side: string, topics: number[][], shared: number, attachment: boolean): Promise<void> {
  let n = 0;
  if (attachment) {
    const blob = await peer.store.writeBlob([new Uint8Array(CHUNK_BYTES + 100).fill(side.charCodeAt(0))]);
    const [withBlob] = await peer.store.putMany([message(`${side} attached`, { attachment: blob })]);
    await setAccess(peer.store, { object: withBlob! }, { persons: [other.person] });
  }
  for (const [t, versions] of topics.entries()) {
    const messages: SHA256Hash[] = [];
    let idHash: SHA256Hash | undefined;
    for (const count of versions) {
      messages.push(...(await peer.store.putMany(Array.from({ length: count }, () => message(`${side} ${n++}`)))));
      idHash = (await peer.store.putVersioned(topic(`${side} topic ${t}`, messages))).idHash;
    }
    await setAccess(peer.store, { id: idHash! }, { persons: [other.person] });
  }
  // Both sides write versions of one topic: a fork that only CHUM can merge.
  let messages: SHA256Hash[] = [];
  for (let v = 0; v < shared; v++) {
    messages = [...messages, ...(await peer.store.putMany([message(`${side} shared ${v}`)]))];
    const { idHash } = await peer.store.putVersioned(topic('shared', messages));
    await setAccess(peer.store, { id: idHash }, { persons: [other.person] });
  }
}

/** What `from` lets `to` see: the objects of its closure that `from` holds. */
async function visibleTo(from: Peer, to: Peer): Promise<SHA256Hash[]> {
  return (await Closure.of(from.store, crypto, await rootsFor(from.store, to.person))).present.sort();
}

/** Every BLOB a store holds reads back whole under its hash (the store re-hashes as it reads). */
async function verifyBlobs(peer: Peer): Promise<void> {
  for (const side of ['a', 'b']) {
    const hash = crypto.sha256Hex(new Uint8Array(CHUNK_BYTES + 100).fill(side.charCodeAt(0))) as SHA256Hash;
    if (!(await peer.store.hasBlob(hash))) continue;
    for await (const chunk of await peer.store.readBlob(hash)) void chunk;
  }
}

async function run(plan: Scenario, links: LinkPlan[]): Promise<void> {
  const a = testPeer('a');
  const b = testPeer('b');
  await build(a, b, 'a', plan.a, plan.shared.a, plan.attachment.a);
  await build(b, a, 'b', plan.b, plan.shared.b, plan.attachment.b);
  for (const { fates, picks, cutAfter } of links) {
    let sent = 0;
    let delivered = 0;
    const c = connect(a, b, { link: { manual: true, fault: () => fates[sent++ % fates.length]! } });
    await c.settle((inTransit) => {
      if (cutAfter !== undefined && delivered++ >= cutAfter) c.link.cut('cut by the schedule');
      return picks[delivered % picks.length]! % Math.max(1, inTransit);
    });
    c.link.cut('the schedule moves on');
    await verifyAll(a.store);
    await verifyAll(b.store);
    await verifyBlobs(a);
    await verifyBlobs(b);
  }
  const clean = connect(a, b);
  await clean.settle();
  expect([clean.a.state, clean.b.state]).toEqual(['live', 'live']);
  const [aHas, bHas] = [new Set(await objectsOf(a.store)), new Set(await objectsOf(b.store))];
  expect((await visibleTo(a, b)).filter((h) => !bHas.has(h))).toEqual([]);
  expect((await visibleTo(b, a)).filter((h) => !aHas.has(h))).toEqual([]);
  for (const [from, to] of [[a, b], [b, a]] as const) {
    const blobs = (await Closure.of(from.store, crypto, await rootsFor(from.store, to.person))).blobs;
    for (const blob of blobs) expect(await to.store.hasBlob(blob)).toBe(true);
  }
  const shared = a.store.idHashOf(topic('shared', []));
  expect(await a.store.getHeads(shared)).toEqual(await b.store.getHeads(shared));
  await verifyAll(a.store);
  await verifyAll(b.store);
  clean.a.close();
}

describe('CHUM under random faults', () => {
  it('never stores a bad object, and converges after a clean connection', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.array(linkPlan, { maxLength: 4 }), (plan, links) => run(plan, links)),
      { seed: 42, numRuns: 100 },
    );
  });
});
