import { describe, expect, it } from 'vitest';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { signersOf } from '../identity/signatures.ts';
import { accessibleBy } from '../store/access.ts';
import type { SHA256Hash } from '../store/hash.ts';
import { isChatError, type ChatErrorCode } from './chat-error.ts';
import { chatUser } from './chat-test-kit.ts';
import { directTopicId, MAX_TEXT_CHARS } from './chat.ts';

async function refused(promise: Promise<unknown>, code: ChatErrorCode): Promise<void> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(isChatError(error, code), `expected ChatError ${code}, got ${String(error)}`).toBe(true);
}

describe('Chat over one store', () => {
  it('writes signed messages into the author\'s channel and reads them back in topic order', async () => {
    let clock = 1_000;
    const ada = await chatUser('Ada', { now: () => clock });
    const bob = await chatUser('Bob');
    const { idHash } = await ada.chat.createTopic({ name: 'Plans', participants: [bob.person] });
    const first = await ada.chat.send(idHash, 'hello');
    clock = 900; // a clock that went backwards: this writer's messages still keep their written order
    const second = await ada.chat.send(idHash, 'after, on a clock set back');
    expect(second.message.createdAt).toBe(first.message.createdAt + 1);
    expect((await ada.chat.messages(idHash)).map((m) => m.message.text)).toEqual(['hello', 'after, on a clock set back']);
    expect(await signersOf(ada.store, nobleCrypto, first.hash)).toEqual([ada.person]);
    expect(await signersOf(ada.store, nobleCrypto, second.hash)).toEqual([ada.person]);
    // The channel is the versioned (topic, author): its history is the message list.
    expect((await ada.store.getHistory(ada.chat.channelId(idHash, ada.person))).map((v) => v.node.data)).toEqual([second.hash, first.hash]);
  });

  it('keeps a burst written within one millisecond in the order it was written', async () => {
    const ada = await chatUser('Ada', { now: () => 5_000 });
    const bob = await chatUser('Bob');
    const { idHash } = await ada.chat.createTopic({ name: 'Burst', participants: [bob.person] });
    for (let i = 0; i < 20; i++) await ada.chat.send(idHash, `b${i}`);
    expect((await ada.chat.messages(idHash)).map((m) => m.message.text)).toEqual(Array.from({ length: 20 }, (_, i) => `b${i}`));
  });

  it('pages back with `before` and a limit', async () => {
    let clock = 0;
    const ada = await chatUser('Ada', { now: () => ++clock });
    const bob = await chatUser('Bob');
    const { idHash } = await ada.chat.createTopic({ name: 'Long', participants: [bob.person] });
    const sent = [];
    for (let i = 0; i < 12; i++) sent.push(await ada.chat.send(idHash, `m${i}`));
    const last = await ada.chat.messages(idHash, { limit: 5 });
    expect(last.map((m) => m.message.text)).toEqual(['m7', 'm8', 'm9', 'm10', 'm11']);
    const older = await ada.chat.messages(idHash, { limit: 5, before: last[0]!.hash });
    expect(older.map((m) => m.message.text)).toEqual(['m2', 'm3', 'm4', 'm5', 'm6']);
    expect((await ada.chat.messageRefs(idHash)).map((r) => r.hash)).toEqual(sent.map((s) => s.hash));
  });

  it('grants every participant the topic and every participant\'s channel', async () => {
    const ada = await chatUser('Ada');
    const bob = await chatUser('Bob');
    const cy = await chatUser('Cy');
    const { idHash } = await ada.chat.createTopic({ name: 'Three', participants: [bob.person, cy.person] });
    const expected = [idHash, ...[ada, bob, cy].map((u) => ada.chat.channelId(idHash, u.person))].sort();
    expect((await accessibleBy(ada.store, [cy.person])).ids).toEqual(expected);
    const before = await ada.store.adapter.lastSeq();
    await ada.chat.shareTopic(idHash); // already in place: writes nothing
    expect(await ada.store.adapter.lastSeq()).toBe(before);
  });

  it('lists the topics I take part in, newest first; a one-to-one topic has the same id from both sides', async () => {
    let clock = 0;
    const ada = await chatUser('Ada', { now: () => ++clock });
    const bob = await chatUser('Bob');
    const cy = await chatUser('Cy');
    const direct = await ada.chat.directTopic(bob.person, 'Bob');
    const group = await ada.chat.createTopic({ name: 'Group', participants: [bob.person, cy.person] });
    expect((await ada.chat.topics()).map((t) => t.idHash)).toEqual([group.idHash, direct.idHash]);
    expect(direct.topic.topicId).toBe(directTopicId(bob.person, ada.person));
    expect(bob.chat.topicIdHash(directTopicId(bob.person, ada.person))).toBe(direct.idHash);
    // Creating it again returns the same topic instead of a second one.
    expect((await ada.chat.directTopic(bob.person, 'Bob again')).idHash).toBe(direct.idHash);
  });

  it('refuses bad input with a typed error and writes nothing', async () => {
    const ada = await chatUser('Ada');
    const bob = await chatUser('Bob');
    const { idHash } = await ada.chat.createTopic({ name: 'T', participants: [bob.person] });
    const before = await ada.store.adapter.lastSeq();
    await refused(ada.chat.send(idHash, '   '), 'EMPTY_MESSAGE');
    await refused(ada.chat.send(idHash, 'x'.repeat(MAX_TEXT_CHARS + 1)), 'TOO_LONG');
    await refused(ada.chat.send('f'.repeat(64) as SHA256Hash, 'hi'), 'NO_TOPIC');
    await refused(ada.chat.send(idHash, 'hi', { as: { personId: 'a'.repeat(64) as SHA256Hash, keys: ada.identity.person } }), 'NOT_PARTICIPANT');
    await refused(ada.chat.createTopic({ name: ' ', participants: [bob.person] }), 'BAD_TOPIC');
    await refused(ada.chat.createTopic({ name: 'alone', participants: [] }), 'BAD_TOPIC');
    expect(await ada.store.adapter.lastSeq()).toBe(before);
  });

  it('fetches the bodies a sparse store lacks, and leaves out what the peer cannot give', async () => {
    const ada = await chatUser('Ada');
    const bob = await chatUser('Bob');
    const { idHash } = await ada.chat.createTopic({ name: 'T', participants: [bob.person] });
    const a = await ada.chat.send(idHash, 'a');
    const b = await ada.chat.send(idHash, 'b');
    const asked: SHA256Hash[][] = [];
    const sparse = await chatUser('Sparse', {
      fetchMissing: async (hashes) => {
        asked.push([...hashes]);
        // The "peer" has only `a`.
        await sparse.store.importMany([(await ada.store.adapter.getObjects([a.hash]))[0]!]);
      },
    });
    expect((await sparse.chat.bodies([b.hash, a.hash])).map((m) => m.message.text)).toEqual(['a']);
    expect(asked).toEqual([[b.hash, a.hash]]);
  });
});
