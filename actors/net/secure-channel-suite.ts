import { describe, expect, it } from 'vitest';
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { bytesToHex } from '../store/hash.ts';
import { isChannelError } from './channel-error.ts';
import { channelPair, dataOf, deliver, errorOf, eventTypes, run, settle, testInstance, text, trusting, type End } from './channel-test-kit.ts';
import { HEARTBEAT_INTERVAL_MS, PEER_TIMEOUT_MS } from './liveness.ts';
import { HANDSHAKE_TIMEOUT_MS, MAX_HANDSHAKE_MESSAGE_BYTES, MAX_PENDING_BYTES } from './secure-channel.ts';
import { MAX_BODY_BYTES, MAX_TRANSPORT_MESSAGE_BYTES } from './transport-frames.ts';

/**
 * The secure channel's behaviour with one crypto provider (or two, one per side): the handshake,
 * frames both ways, and every fault closing the channel with its own code (specs/handshake.md §6).
 */
export function runSecureChannelSuite(crypto: CryptoProvider, label: string, options: { responderCrypto?: CryptoProvider } = {}): void {
  const pair = (extra: Parameters<typeof channelPair>[1] = {}) => channelPair(crypto, { responderCrypto: options.responderCrypto, ...extra });

  async function established() {
    const ends = pair();
    await run(ends.a, ends.b);
    expect([ends.a.channel.state, ends.b.channel.state]).toEqual(['open', 'open']);
    return ends;
  }

  function expectClosedWith(end: End, code: string): void {
    expect(errorOf(end)?.code, JSON.stringify(eventTypes(end))).toBe(code);
    expect(end.channel.state).toBe('closed');
  }

  /** A goodbye received by `end` whose reason starts with the error code its peer closed with. */
  function expectToldOf(end: End, code: string): void {
    const goodbye = end.events.find((event) => event.type === 'goodbye');
    expect(goodbye?.type === 'goodbye' && goodbye.reason.startsWith(`${code}: `), JSON.stringify(goodbye)).toBe(true);
  }

  describe(`SecureChannel (${label})`, () => {
    describe('handshake', () => {
      it('completes Noise XX, each side learning the other as its authorize() saw it', async () => {
        const { a, b } = await established();
        expect(eventTypes(a)).toEqual(['sent 1', 'received 2', 'sent 3', 'established']);
        expect(eventTypes(b)).toEqual(['received 1', 'sent 2', 'received 3', 'established']);
        const [aOpen, bOpen] = [a.events.at(-1), b.events.at(-1)];
        if (aOpen?.type !== 'established' || bOpen?.type !== 'established') throw new Error('not established');
        expect(aOpen.peer).toEqual({ personId: b.identity.personId, instanceId: b.identity.instanceId, signKey: b.identity.instance.signer.publicKey, staticKey: b.identity.instance.encryptionPublicKey });
        expect(bOpen.peer).toEqual({ personId: a.identity.personId, instanceId: a.identity.instanceId, signKey: a.identity.instance.signer.publicKey, staticKey: a.identity.instance.encryptionPublicKey });
        expect(bytesToHex(aOpen.handshakeHash)).toBe(bytesToHex(bOpen.handshakeHash));
      });

      it('each session has fresh keys: the same two Instances never produce the same bytes twice', async () => {
        const [first, second] = [await established(), await established()];
        const hashes = [first, second].map(({ a }) => a.events.at(-1)).map((event) => (event?.type === 'established' ? bytesToHex(event.handshakeHash) : ''));
        expect(hashes[0]).not.toBe(hashes[1]);
      });

      it('handshake messages have the sizes of specs/handshake.md §3: 32, 363 and 331 bytes behind their prefixes', async () => {
        const { a, b } = pair();
        const sizes: number[] = [];
        const measure = (bytes: Uint8Array) => (sizes.push(bytes.length), bytes);
        deliver(a, b, measure);
        deliver(b, a, measure);
        await settle();
        deliver(a, b, measure);
        expect(sizes).toEqual([4 + 32, 4 + 363, 4 + 331]);
        expect(Math.max(...sizes)).toBeLessThan(4 + MAX_HANDSHAKE_MESSAGE_BYTES);
      });
    });

    describe('frames', () => {
      it('carries data both ways, in order, including empty bodies and a body of the maximum size', async () => {
        const { a, b } = await established();
        const big = new Uint8Array(MAX_BODY_BYTES).map((_, i) => i % 251);
        for (const body of ['one', '', 'three']) a.channel.send(text(body));
        b.channel.send(text('reply'));
        b.channel.send(big);
        await run(a, b);
        expect(dataOf(b)).toEqual(['one', '', 'three']);
        expect(dataOf(a).slice(0, 1)).toEqual(['reply']);
        const last = a.events.at(-1);
        expect(last?.type === 'data' && last.body.length === MAX_BODY_BYTES && last.body.every((byte, i) => byte === i % 251)).toBe(true);
      });

      it('reassembles frames fed one byte at a time, and several frames fed at once', async () => {
        const { a, b } = await established();
        a.channel.send(text('dribbled'));
        for (const byte of a.outbox.splice(0)[0]!) b.channel.receive(Uint8Array.of(byte));
        a.channel.send(text('x'));
        a.channel.send(text('y'));
        const [x, y] = a.outbox.splice(0);
        b.channel.receive(new Uint8Array([...x!, ...y!]));
        expect(dataOf(b)).toEqual(['dribbled', 'x', 'y']);
      });

      it('a goodbye reaches the peer with its reason and closes both ends', async () => {
        const { a, b } = await established();
        a.channel.send(text('last words'));
        a.channel.goodbye('user quit');
        await run(a, b);
        expect(dataOf(b)).toEqual(['last words']);
        expect(b.events.at(-1)).toEqual({ type: 'goodbye', reason: 'user quit' });
        expect([a.channel.state, b.channel.state]).toEqual(['closed', 'closed']);
        expect(() => a.channel.send(text('more'))).toThrow(expect.objectContaining({ code: 'CLOSED' }));
        expect(() => b.channel.send(text('more'))).toThrow(expect.objectContaining({ code: 'CLOSED' }));
        b.channel.end(); // the socket closing after a goodbye is no error
        expect(errorOf(b)).toBeUndefined();
      });

      it('refuses to send before the handshake completes, or a body over the limit, without closing', async () => {
        const { a, b } = pair();
        expect(() => a.channel.send(text('early'))).toThrow(expect.objectContaining({ code: 'PROTOCOL' }));
        await run(a, b);
        expect(() => a.channel.send(new Uint8Array(MAX_BODY_BYTES + 1))).toThrow(expect.objectContaining({ code: 'OVERSIZED' }));
        expect(a.channel.state).toBe('open');
      });
    });

    describe('heartbeats (simulated clock)', () => {
      it('an idle side sends a heartbeat after the interval; traffic postpones it', async () => {
        const { a, b, clock } = await established();
        const opened = clock.time;
        expect(a.channel.nextDeadline()).toBe(opened + HEARTBEAT_INTERVAL_MS);
        clock.advance(HEARTBEAT_INTERVAL_MS - 1);
        a.channel.tick();
        expect(a.outbox).toHaveLength(0);
        a.channel.send(text('traffic'));
        clock.advance(HEARTBEAT_INTERVAL_MS - 1);
        a.channel.tick();
        expect(a.outbox).toHaveLength(1); // only the data frame
        clock.advance(1);
        a.channel.tick();
        deliver(a, b);
        expect(eventTypes(b).slice(-2)).toEqual(['data', 'heartbeat']);
      });

      it('a peer heard from for no PEER_TIMEOUT_MS is given up (HEARTBEAT_TIMEOUT)', async () => {
        const { a, b, clock } = await established();
        for (let elapsed = 0; elapsed < PEER_TIMEOUT_MS; elapsed += HEARTBEAT_INTERVAL_MS) {
          clock.advance(HEARTBEAT_INTERVAL_MS);
          b.channel.tick(); // b keeps sending heartbeats, but nothing comes back from a
        }
        expectClosedWith(b, 'HEARTBEAT_TIMEOUT');
        expect(b.channel.nextDeadline()).toBeUndefined();
        deliver(b, a); // had a been there to hear: two heartbeats, then why b gave up
        expect(eventTypes(a).slice(-3)).toEqual(['heartbeat', 'heartbeat', 'goodbye']);
        expectToldOf(a, 'HEARTBEAT_TIMEOUT');
      });

      it('heartbeats from the peer keep a channel alive', async () => {
        const { a, b, clock } = await established();
        for (let i = 0; i < 10; i++) {
          clock.advance(HEARTBEAT_INTERVAL_MS);
          a.channel.tick();
          b.channel.tick();
          await run(a, b);
        }
        expect([a.channel.state, b.channel.state]).toEqual(['open', 'open']);
        expect(eventTypes(b).filter((type) => type === 'heartbeat')).toHaveLength(10);
      });
    });

    describe('each fault closes the channel with its code', () => {
      it('WRONG_KEY: the responder does not trust the initiator (and tells it so)', async () => {
        const { a, b } = pair({ responderAuthorizes: () => 'unknown contact' });
        await run(a, b);
        expectClosedWith(b, 'WRONG_KEY');
        expect(errorOf(b)!.message).toContain('unknown contact');
        expectToldOf(a, 'WRONG_KEY'); // the initiator learns of the refusal from a goodbye frame
      });

      it('WRONG_KEY: the initiator does not trust the responder, and never sends message 3', async () => {
        const { a, b, clock } = pair({ initiatorAuthorizes: async () => false });
        await run(a, b);
        expectClosedWith(a, 'WRONG_KEY');
        expect(eventTypes(a)).toEqual(['sent 1', 'received 2', 'error']);
        expect(b.channel.state).toBe('handshake');
        clock.advance(HANDSHAKE_TIMEOUT_MS);
        b.channel.tick();
        expectClosedWith(b, 'HANDSHAKE_TIMEOUT');
      });

      it('WRONG_KEY: a proof signed by another key than the one it names', async () => {
        const honest = testInstance(crypto);
        const thief = testInstance(crypto);
        // Claims honest's identity and signing key, but can only sign with its own.
        const impostor = { ...honest, instance: { ...thief.instance, signer: { publicKey: honest.instance.signer.publicKey, sign: thief.instance.signer.sign } } };
        const { a, b } = pair({ initiator: impostor, responderAuthorizes: trusting(honest) });
        await run(a, b);
        expectClosedWith(b, 'WRONG_KEY');
        expect(errorOf(b)!.message).toContain('does not verify');
      });

      it('WRONG_KEY: a valid proof, but Noise static key not the one published for that Instance', async () => {
        const honest = testInstance(crypto);
        const otherStatic = testInstance(crypto).instance;
        const rekeyed = { ...honest, instance: { ...honest.instance, encryptionSecretKey: otherStatic.encryptionSecretKey, encryptionPublicKey: otherStatic.encryptionPublicKey } };
        const { a, b } = pair({ responder: rekeyed, initiatorAuthorizes: trusting(honest) });
        await run(a, b);
        expectClosedWith(a, 'WRONG_KEY');
      });

      it('WRONG_KEY: a low-order ephemeral key', () => {
        const { b } = pair();
        b.channel.receive(new Uint8Array([0, 0, 0, 32, ...new Uint8Array(32)]));
        expectClosedWith(b, 'WRONG_KEY');
      });

      it('TAMPERED: one flipped bit in a handshake message', async () => {
        const { a, b } = pair();
        deliver(a, b);
        deliver(b, a, (bytes) => bytes.map((byte, i) => (i === 60 ? byte ^ 4 : byte)));
        expectClosedWith(a, 'TAMPERED');
      });

      it('TAMPERED: one flipped bit in a frame (and the peer is told why)', async () => {
        const { a, b } = await established();
        a.channel.send(text('intact'));
        a.channel.send(text('altered'));
        deliver(a, b, (bytes, index) => (index === 1 ? bytes.map((byte, i) => (i === 7 ? byte ^ 0x80 : byte)) : bytes));
        expect(dataOf(b)).toEqual(['intact']);
        expectClosedWith(b, 'TAMPERED');
        deliver(b, a);
        expectToldOf(a, 'TAMPERED');
      });

      it('REPLAYED_OR_REORDERED: a frame delivered twice', async () => {
        const { a, b } = await established();
        a.channel.send(text('once'));
        const [frame] = a.outbox.splice(0);
        b.channel.receive(frame!);
        b.channel.receive(frame!.slice());
        expect(dataOf(b)).toEqual(['once']);
        expectClosedWith(b, 'REPLAYED_OR_REORDERED');
        expect(errorOf(b)!.message).toContain('replayed');
      });

      it('REPLAYED_OR_REORDERED: two frames swapped', async () => {
        const { a, b } = await established();
        a.channel.send(text('first'));
        a.channel.send(text('second'));
        const [first, second] = a.outbox.splice(0);
        b.channel.receive(second!);
        b.channel.receive(first!);
        expect(dataOf(b)).toEqual([]);
        expectClosedWith(b, 'REPLAYED_OR_REORDERED');
      });

      it('REPLAYED_OR_REORDERED: a frame lost in between', async () => {
        const { a, b } = await established();
        for (const body of ['0', '1', '2']) a.channel.send(text(body));
        const [zero, , two] = a.outbox.splice(0);
        b.channel.receive(zero!);
        b.channel.receive(two!);
        expect(dataOf(b)).toEqual(['0']);
        expectClosedWith(b, 'REPLAYED_OR_REORDERED');
      });

      it('TAMPERED: an initiator\'s recorded handshake replayed into a new session', async () => {
        const { a, b } = pair();
        const recorded: Uint8Array[] = [];
        const record = (bytes: Uint8Array) => (recorded.push(bytes), bytes);
        deliver(a, b, record);
        deliver(b, a);
        await settle();
        deliver(a, b, record);
        await settle();
        expect(b.channel.state).toBe('open');
        // The attacker replays messages 1 and 3 (with a's identity proof) to the same responder:
        // message 2 now carries a fresh ephemeral key, which the recorded message 3 was not made for.
        const replay = pair({ initiator: a.identity, responder: b.identity });
        replay.b.channel.receive(recorded[0]!);
        expect(replay.b.outbox).toHaveLength(1);
        replay.b.channel.receive(recorded[1]!);
        expectClosedWith(replay.b, 'TAMPERED');
      });

      it('TRUNCATED: the stream ends inside a frame', async () => {
        const { a, b } = await established();
        a.channel.send(text('cut short'));
        const [frame] = a.outbox.splice(0);
        b.channel.receive(frame!.subarray(0, frame!.length - 1));
        expect(b.channel.state).toBe('open'); // waiting for the rest
        b.channel.end();
        expectClosedWith(b, 'TRUNCATED');
        expect(dataOf(b)).toEqual([]);
      });

      it('TRUNCATED: the stream ends inside a length prefix', async () => {
        const { a, b } = await established();
        a.channel.send(text('x'));
        b.channel.receive(a.outbox.splice(0)[0]!.subarray(0, 2));
        b.channel.end();
        expectClosedWith(b, 'TRUNCATED');
      });

      it('CLOSED: the stream ends between frames without a goodbye', async () => {
        const { a, b } = await established();
        b.channel.end();
        expectClosedWith(b, 'CLOSED');
        deliver(b, a); // the write side may still be open: b says why it closed
        expectToldOf(a, 'CLOSED');
      });

      it('OVERSIZED: a frame length over the limit, refused from its prefix alone', async () => {
        const { b } = await established();
        const prefix = new Uint8Array(4);
        new DataView(prefix.buffer).setUint32(0, MAX_TRANSPORT_MESSAGE_BYTES + 1);
        b.channel.receive(prefix);
        expectClosedWith(b, 'OVERSIZED');
      });

      it('OVERSIZED: a handshake message over the handshake limit; a non-LAMA client', () => {
        const { b } = pair();
        b.channel.receive(text('GET / HTTP/1.1\r\n'));
        expectClosedWith(b, 'OVERSIZED');
        const other = pair();
        other.b.channel.receive(new Uint8Array([0, 0, (MAX_HANDSHAKE_MESSAGE_BYTES + 1) >> 8, (MAX_HANDSHAKE_MESSAGE_BYTES + 1) & 0xff]));
        expectClosedWith(other.b, 'OVERSIZED');
      });

      it('HANDSHAKE_TIMEOUT: a client that connects and says nothing', () => {
        const { b, clock } = pair();
        expect(b.channel.nextDeadline()).toBe(clock.time + HANDSHAKE_TIMEOUT_MS);
        clock.advance(HANDSHAKE_TIMEOUT_MS - 1);
        b.channel.tick();
        expect(b.channel.state).toBe('handshake');
        clock.advance(1);
        b.channel.tick();
        expectClosedWith(b, 'HANDSHAKE_TIMEOUT');
      });

      it('HANDSHAKE_TIMEOUT: a client that stalls after message 2', () => {
        const { a, b, clock } = pair();
        deliver(a, b);
        deliver(b, a, () => new Uint8Array(0)); // message 2 never arrives at a: a stalls
        clock.advance(HANDSHAKE_TIMEOUT_MS);
        b.channel.tick();
        expectClosedWith(b, 'HANDSHAKE_TIMEOUT');
      });

      it('HANDSHAKE_TIMEOUT: an authorize() that never answers', async () => {
        const { a, b, clock } = pair({ responderAuthorizes: () => new Promise(() => {}) });
        await run(a, b);
        expect(b.channel.state).toBe('authorizing');
        clock.advance(HANDSHAKE_TIMEOUT_MS);
        b.channel.tick();
        expectClosedWith(b, 'HANDSHAKE_TIMEOUT');
      });

      it('PROTOCOL: data behind message 1, before the responder could have answered', () => {
        const { a, b } = pair();
        const [first] = a.outbox.splice(0);
        b.channel.receive(new Uint8Array([...first!, 0, 0, 0, 5, 1, 2, 3, 4, 5]));
        expectClosedWith(b, 'PROTOCOL');
        expect(b.outbox).toHaveLength(0); // message 2 was never sent
      });

      it('PROTOCOL: data behind message 2, before the initiator sent message 3', async () => {
        const { a, b } = pair();
        deliver(a, b);
        const [second] = b.outbox.splice(0);
        a.channel.receive(new Uint8Array([...second!, 0, 0, 0, 1, 9]));
        await settle();
        expectClosedWith(a, 'PROTOCOL');
        expect(a.outbox).toHaveLength(0); // no message 3
      });

      it('PROTOCOL: bytes from the responder while the initiator is still deciding', async () => {
        let decide: (verdict: boolean) => void = () => {};
        const { a, b } = pair({ initiatorAuthorizes: () => new Promise<boolean>((resolve) => (decide = resolve)) });
        deliver(a, b);
        deliver(b, a);
        a.channel.receive(new Uint8Array([0, 0, 0, 1, 9]));
        expectClosedWith(a, 'PROTOCOL');
        decide(true);
        await settle();
        expect(a.outbox).toHaveLength(0);
      });

      it('PROTOCOL: a first message that is not exactly one ephemeral key', () => {
        const { b } = pair();
        b.channel.receive(new Uint8Array([0, 0, 0, 33, ...new Uint8Array(33).fill(9)]));
        expectClosedWith(b, 'PROTOCOL');
      });
    });

    describe('frames sent before the responder has authorized the initiator', () => {
      it('are held until authorize() accepts, then delivered after `established`, in order', async () => {
        let accept: (verdict: boolean) => void = () => {};
        const { a, b } = pair({ responderAuthorizes: () => new Promise<boolean>((resolve) => (accept = resolve)) });
        await run(a, b);
        expect([a.channel.state, b.channel.state]).toEqual(['open', 'authorizing']);
        a.channel.send(text('eager 1'));
        a.channel.send(text('eager 2'));
        deliver(a, b);
        expect(dataOf(b)).toEqual([]);
        accept(true);
        await settle();
        expect(eventTypes(b).slice(-3)).toEqual(['established', 'data', 'data']);
        expect(dataOf(b)).toEqual(['eager 1', 'eager 2']);
      });

      it('are delivered, goodbye included, even when the stream ends before the verdict', async () => {
        let accept: (verdict: boolean) => void = () => {};
        const { a, b } = pair({ responderAuthorizes: () => new Promise<boolean>((resolve) => (accept = resolve)) });
        await run(a, b);
        a.channel.send(text('fire and forget'));
        a.channel.goodbye('bye');
        deliver(a, b);
        b.channel.end();
        expect(b.channel.state).toBe('authorizing');
        accept(true);
        await settle();
        expect(eventTypes(b).slice(-3)).toEqual(['established', 'data', 'goodbye']);
        expect(errorOf(b)).toBeUndefined();
      });

      it('OVERSIZED: more than MAX_PENDING_BYTES before the verdict', async () => {
        const { a, b } = pair({ responderAuthorizes: () => new Promise<boolean>(() => {}) });
        await run(a, b);
        const body = new Uint8Array(MAX_BODY_BYTES);
        for (let sent = 0; sent <= MAX_PENDING_BYTES; sent += body.length) a.channel.send(body);
        deliver(a, b);
        expectClosedWith(b, 'OVERSIZED');
      });

      it('are never delivered when authorize() refuses', async () => {
        let decide: (verdict: string) => void = () => {};
        const { a, b } = pair({ responderAuthorizes: () => new Promise<string>((resolve) => (decide = resolve)) });
        await run(a, b);
        a.channel.send(text('unwelcome'));
        deliver(a, b);
        decide('not a contact');
        await settle();
        expect(dataOf(b)).toEqual([]);
        expectClosedWith(b, 'WRONG_KEY');
      });
    });

    it('errors are ChannelErrors carrying their code', async () => {
      const { b } = pair();
      b.channel.end();
      expect(isChannelError(errorOf(b), 'CLOSED')).toBe(true);
    });
  });
}
