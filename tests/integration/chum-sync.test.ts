import { describe, expect, it } from 'vitest';
import { collectChunks as collect } from '../../actors/store/collect-chunks.ts';
import { connect, crypto, fakeId, message, objectsOf, testPeer, topic, verifyAll, type Peer } from '../../actors/chum/chum-test-kit.ts';
import { CHUNK_BYTES, decodeMessage } from '../../actors/chum/messages.ts';
import { setAccess } from '../../actors/store/access.ts';

/** Two memory stores over the in-memory link: what CHUM brings across, both ways, and what it does not. */

async function grantTopic(owner: Peer, to: Peer, name: string, texts: string[]) {
  const messages = await owner.store.putMany(texts.map((text) => message(text)));
  const version = await owner.store.putVersioned(topic(name, messages));
  await setAccess(owner.store, { id: version.idHash }, { persons: [to.person] });
  return { messages, ...version };
}

describe('CHUM between two stores', () => {
  it('brings what each side granted the other across, both ways, and goes live', async () => {
    const a = testPeer('a');
    const b = testPeer('b');
    const fromA = await grantTopic(a, b, 'from a', ['a1', 'a2', 'a3']);
    const fromB = await grantTopic(b, a, 'from b', ['b1']);
    const secret = await a.store.put(message('not granted'));
    const c = connect(a, b);
    await c.settle();
    expect([c.a.state, c.b.state]).toEqual(['live', 'live']);
    expect(await b.store.has([...fromA.messages, fromA.hash, fromA.idHash, fromA.versionHash, secret])).toEqual([true, true, true, true, true, true, false]);
    expect(await a.store.has([...fromB.messages, fromB.versionHash])).toEqual([true, true]);
    expect((await b.store.getLatest(fromA.idHash))?.hash).toBe(fromA.hash);
    // What was granted and its closure; not the grants themselves.
    expect(await b.store.referencing(fromA.idHash, 'IdAccess')).toEqual([]);
    await verifyAll(a.store);
    await verifyAll(b.store);
    expect(c.b.progress).toEqual({ objectsDone: 6, objectsTotal: 6, bytesDone: c.b.progress.bytesTotal, bytesTotal: expect.any(Number) });
  });

  it('merges a version history that forked while the two were apart', async () => {
    const a = testPeer('a');
    const b = testPeer('b');
    const shared = await grantTopic(a, b, 'shared', ['first']);
    await setAccess(b.store, { id: shared.idHash }, { persons: [a.person] });
    await connect(a, b).settle();
    expect(await b.store.getHeads(shared.idHash)).toEqual([shared.versionHash]);

    const [fromA] = await a.store.putMany([message('a says')]);
    const [fromB] = await b.store.putMany([message('b says')]);
    const va = await a.store.putVersioned(topic('shared', [...shared.messages, fromA!]));
    const vb = await b.store.putVersioned(topic('shared', [...shared.messages, fromB!]));
    const c = connect(a, b);
    await c.settle();
    const heads = [va.versionHash, vb.versionHash].sort();
    expect(await a.store.getHeads(shared.idHash)).toEqual(heads);
    expect(await b.store.getHeads(shared.idHash)).toEqual(heads);
    expect((await a.store.getLatest(shared.idHash))?.hash).toBe((await b.store.getLatest(shared.idHash))?.hash);

    // Live: a merge written on one side reaches the other while the session stays open.
    const merged = await a.store.putVersioned(topic('shared', [...shared.messages, fromA!, fromB!]));
    await c.settle();
    expect(await b.store.getHeads(shared.idHash)).toEqual([merged.versionHash]);
  });

  it('streams a BLOB of several chunks and verifies it', async () => {
    const a = testPeer('a');
    const b = testPeer('b');
    const bytes = new Uint8Array(2 * CHUNK_BYTES + 1234).map((_, i) => (i * 7 + (i >> 10)) & 0xff);
    const blob = await a.store.writeBlob([bytes.subarray(0, 100_000), bytes.subarray(100_000)]);
    const [withAttachment] = await a.store.putMany([message('see attached', { attachment: blob })]);
    await setAccess(a.store, { object: withAttachment! }, { persons: [b.person] });
    const c = connect(a, b);
    await c.settle();
    expect(c.b.state).toBe('live');
    const received = await collect(await b.store.readBlob(blob));
    expect(received.byteLength).toBe(bytes.byteLength);
    expect(crypto.sha256Hex(received)).toBe(blob);
    const chunks = c.link.sent.a.map(decodeMessage).filter((m) => m.t === 'chunk');
    expect(chunks).toHaveLength(3);
    expect(c.b.progress.bytesDone).toBe(c.b.progress.bytesTotal);
  });

  it('offers new objects live, and stops offering what was revoked', async () => {
    const a = testPeer('a');
    const b = testPeer('b');
    const t = await grantTopic(a, b, 'news', ['one']);
    const c = connect(a, b);
    await c.settle();
    const [two] = await a.store.putMany([message('two')]);
    const v2 = await a.store.putVersioned(topic('news', [...t.messages, two!]));
    await c.settle();
    expect(await b.store.has([two!, v2.versionHash])).toEqual([true, true]);

    await setAccess(a.store, { id: t.idHash }, { persons: [] });
    const [three] = await a.store.putMany([message('three')]);
    const v3 = await a.store.putVersioned(topic('news', [...t.messages, two!, three!]));
    await c.settle();
    c.a.close();
    await connect(a, b).settle();
    expect(await b.store.has([three!, v3.versionHash])).toEqual([false, false]);
  });

  it('brings the signatures, keys and identity of an author along, and refuses none of them', async () => {
    const { createIdentity } = await import('../../actors/identity/identity.ts');
    const { TEST_KDF } = await import('../../actors/identity/identity-test-kit.ts');
    const { signHash, signersOf } = await import('../../actors/identity/signatures.ts');
    const a = testPeer('a');
    const b = testPeer('b');
    const me = await createIdentity(a.store, crypto, { name: 'Ada', instanceName: 'node', passphrase: 'pw', kdf: TEST_KDF });
    const [signed] = await a.store.putMany([message('signed', { author: me.personId })]);
    await signHash(a.store, me.personId, me.person, signed!);
    await setAccess(a.store, { object: signed! }, { persons: [b.person] });
    await connect(a, b).settle();
    expect(await signersOf(b.store, crypto, signed!)).toEqual([me.personId]);
    expect((await b.store.getLatest(me.personId))?.object).toMatchObject({ name: 'Ada' });
    // The Person's Profile is not part of it: it names the person, but nobody granted it.
    expect(await b.store.referencing(me.personId, 'Profile')).toEqual([]);
  });

  it('lets a sparse receiver defer message bodies and fetch what is on screen', async () => {
    const a = testPeer('a');
    const b = testPeer('b');
    const t = await grantTopic(a, b, 'long', ['m0', 'm1', 'm2', 'm3', 'm4']);
    const c = connect(a, b, { b: { policy: (item) => (item.type === 'TestMessage' || item.reason === 'reference' ? 'later' : 'now') } });
    await c.settle();
    expect(c.b.state).toBe('live');
    expect(await b.store.has([t.versionHash, t.hash])).toEqual([true, true]);
    expect(await b.store.has(t.messages)).toEqual([false, false, false, false, false]);
    const recent = t.messages.slice(-2);
    const notYours = await a.store.put(message('private'));
    const fetching = c.b.fetch([...recent, notYours, fakeId('nowhere')]);
    await c.settle();
    expect(await fetching).toEqual({ fetched: recent, missing: [notYours, fakeId('nowhere')] });
    expect(await b.store.has(t.messages)).toEqual([false, false, false, true, true]);
    expect((await objectsOf(b.store)).includes(notYours)).toBe(false);
  });
});
