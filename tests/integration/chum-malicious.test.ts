import { describe, expect, it } from 'vitest';
import { ChumSession } from '../../actors/chum/chum-session.ts';
import { crypto, fakeId, message, objectsOf, testPeer, testStore } from '../../actors/chum/chum-test-kit.ts';
import { MemoryLink } from '../../actors/chum/memory-link.ts';
import { decodeMessage, encodeMessage, MAX_MESSAGE_BYTES, PROTOCOL_VERSION, type Message, type OfferItem } from '../../actors/chum/messages.ts';
import { createIdentity } from '../../actors/identity/identity.ts';
import { TEST_KDF } from '../../actors/identity/identity-test-kit.ts';
import type { SHA256Hash } from '../../actors/store/hash.ts';
import type { LamaObject } from '../../actors/store/recipes.ts';

/**
 * A peer that breaks the protocol on purpose (played by the test on one end of the link): the
 * honest session refuses it with a typed error, tells it why, and stores nothing of what it sent.
 */

const PEER_STORE = '0123456789abcdef0123456789abcdef';

function honestAndHostile() {
  const link = new MemoryLink();
  const victim = testPeer('victim');
  const session = ChumSession.start({ store: victim.store, crypto, port: link.b, peer: { personId: fakeId('hostile'), instanceId: fakeId('hostile instance') } });
  const heard: Message[] = [];
  link.a.onMessage((body) => heard.push(decodeMessage(body)));
  const send = (message: Message) => link.a.send(encodeMessage(message));
  const next = async (t: Message['t']): Promise<Message> => {
    for (let i = 0; i < 200; i++) {
      const found = heard.find((m) => m.t === t);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    throw new Error(`no ${t} from the session`);
  };
  const failure = async () => {
    const error = (await next('error')) as Extract<Message, { t: 'error' }>;
    expect(session.state).toBe('failed');
    expect(session.error?.code).toBe(error.code);
    return error.code;
  };
  send({ t: 'hello', v: PROTOCOL_VERSION, store: PEER_STORE });
  return { link, victim, session, send, next, failure };
}

const item = (bytes: Uint8Array, type = 'TestMessage'): OfferItem => ({ hash: crypto.sha256Hex(bytes) as SHA256Hash, kind: 'object', size: bytes.byteLength, type });

async function wantFor(h: ReturnType<typeof honestAndHostile>, items: OfferItem[]): Promise<number> {
  h.send({ t: 'offer', items, through: 1 });
  const want = (await h.next('want')) as Extract<Message, { t: 'want' }>;
  expect(want.o).toEqual(items.map((i) => i.hash));
  return want.w;
}

describe('CHUM against a hostile peer', () => {
  const encoded = (object: LamaObject) => testStore().prepare(object).bytes;

  it('refuses bytes that do not hash to the hash they were sent for', async () => {
    const h = honestAndHostile();
    const asked = encoded(message('asked for'));
    const other = encoded(message('something else'));
    const w = await wantFor(h, [item(asked)]);
    h.send({ t: 'objects', w, o: [other] });
    expect(await h.failure()).toBe('HASH_MISMATCH');
    expect(await objectsOf(h.victim.store)).toEqual([]);
  });

  it('refuses an object that is not in canonical form', async () => {
    const h = honestAndHostile();
    // {"$type$": "TestMessage", "text": "x"} with its keys in the wrong order.
    const unsorted = new Uint8Array([0xa2, 0x66, ...new TextEncoder().encode('$type$'), 0x6b, ...new TextEncoder().encode('TestMessage'), 0x64, ...new TextEncoder().encode('text'), 0x61, 0x78]);
    const fine = encoded(message('fine'));
    const w = await wantFor(h, [item(fine), item(unsorted)]);
    h.send({ t: 'objects', w, o: [fine, unsorted] });
    expect(await h.failure()).toBe('CORRUPT');
    expect(await objectsOf(h.victim.store)).toEqual([]);
  });

  it('refuses an object that fits no recipe here', async () => {
    const h = honestAndHostile();
    const stranger = new Uint8Array([0xa1, 0x66, ...new TextEncoder().encode('$type$'), 0x65, ...new TextEncoder().encode('Alien')]);
    const w = await wantFor(h, [item(stranger, 'Alien')]);
    h.send({ t: 'objects', w, o: [stranger] });
    expect(await h.failure()).toBe('INVALID_OBJECT');
    expect(await objectsOf(h.victim.store)).toEqual([]);
  });

  it('refuses objects it never asked for', async () => {
    const h = honestAndHostile();
    h.send({ t: 'objects', w: 7, o: [encoded(message('unasked'))] });
    expect(await h.failure()).toBe('UNSOLICITED');
    expect(await objectsOf(h.victim.store)).toEqual([]);
  });

  it('refuses a reply with more objects than the want named', async () => {
    const h = honestAndHostile();
    const asked = encoded(message('asked'));
    const w = await wantFor(h, [item(asked)]);
    h.send({ t: 'objects', w, o: [asked, encoded(message('extra'))] });
    expect(await h.failure()).toBe('UNSOLICITED');
    expect(await objectsOf(h.victim.store)).toEqual([]);
  });

  it('refuses an oversized message before decoding it', async () => {
    const h = honestAndHostile();
    await h.next('hello');
    h.link.a.send(new Uint8Array(MAX_MESSAGE_BYTES + 1));
    expect(await h.failure()).toBe('OVERSIZED');
  });

  it('refuses a forged Signature, and stores nothing of the reply that carried it', async () => {
    const forger = testStore();
    const id = await createIdentity(forger, crypto, { name: 'Mallory', instanceName: 'x', passphrase: 'pw', kdf: TEST_KDF });
    const [keysBytes] = await forger.adapter.getObjects([id.person.keysHash]);
    const forged = encoded({ $type$: 'Signature', issuer: id.personId, keys: id.person.keysHash, data: fakeId('anything'), signature: new Uint8Array(64).fill(7) } as LamaObject);
    const h = honestAndHostile();
    const w = await wantFor(h, [item(keysBytes!, 'Keys'), item(forged, 'Signature')]);
    h.send({ t: 'objects', w, o: [keysBytes!, forged] });
    expect(await h.failure()).toBe('BAD_SIGNATURE');
    expect(await objectsOf(h.victim.store)).toEqual([]);
  });

  it('refuses a peer that overruns the offer window', async () => {
    const h = honestAndHostile();
    // Offers of objects the victim must fetch stay unacknowledged: a fifth is one too many.
    for (let i = 0; i < 5; i++) h.send({ t: 'offer', items: [item(encoded(message(`offer ${i}`)))] });
    expect(await h.failure()).toBe('PROTOCOL');
  });

  it('fails with the peer\'s reason when the peer reports an error', async () => {
    const h = honestAndHostile();
    h.send({ t: 'error', code: 'STORE', message: 'disk full' });
    for (let i = 0; i < 50 && h.session.state !== 'failed'; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(h.session.error?.code).toBe('REMOTE');
    expect(h.session.error?.message).toContain('disk full');
  });
});
