import { describe, expect, it } from 'vitest';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { testInstance, text, trusting } from './channel-test-kit.ts';
import { closed as portClosed, pause } from './frame-port-tests.ts';
import { CLOSE_CODE } from './frame-port.ts';
import type { LocalInstance } from './identity-proof.ts';
import { HEARTBEAT_INTERVAL_MS, PEER_TIMEOUT_MS } from './liveness.ts';
import { memoryPortPair, MemoryPort } from './memory-port.ts';
import { HANDSHAKE_TIMEOUT_MS } from './secure-channel.ts';
import { ManualClock, closedOf, dataOf, establishedOf, eventually, rawInitiator } from './secure-connection-test-kit.ts';
import { MAX_UNREAD_BYTES, SecureConnection, type Admission, type SecureConnectionOptions } from './secure-connection.ts';
import { MAX_BODY_BYTES } from './transport-frames.ts';

/** The glue between a FramePort and a SecureChannel, over in-memory ports (runs in Node and Chromium). */
const crypto = nobleCrypto;
const alice = testInstance(crypto);
const bob = testInstance(crypto);

/** Admits exactly `known` as a contact, or as a stranger to pair with when `as` says so. */
function admitting(known: LocalInstance, as: Admission = 'contact'): SecureConnectionOptions['admit'] {
  const trusted = trusting(known);
  return async (peer) => ((await trusted(peer)) === true ? as : `unknown instance ${peer.instanceId}`);
}

function connect(options: { dialer?: Partial<SecureConnectionOptions>; acceptor?: Partial<SecureConnectionOptions> } = {}) {
  const ports = memoryPortPair();
  const dialer = SecureConnection.dial(ports.dialer, { crypto, identity: alice, admit: admitting(bob), ...options.dialer });
  const acceptor = SecureConnection.accept(ports.acceptor, { crypto, identity: bob, admit: admitting(alice), ...options.acceptor });
  return { ports, dialer, acceptor };
}

describe('SecureConnection', () => {
  it('establishes over a port pair: each side learns the other, and whether it is a contact or a stranger to pair with', async () => {
    const { dialer, acceptor } = connect({ acceptor: { admit: admitting(alice, 'pairing') } });
    expect(dialer.state).toBe('connecting');
    const [atDialer, atAcceptor] = await Promise.all([establishedOf(dialer), establishedOf(acceptor)]);
    expect(atDialer).toMatchObject({ contact: true, peer: { personId: bob.personId, instanceId: bob.instanceId } });
    expect(atAcceptor).toMatchObject({ contact: false, peer: { personId: alice.personId, instanceId: alice.instanceId } });
    expect([dialer.state, acceptor.state]).toEqual(['open', 'open']);
    expect(dialer.peer?.instanceId).toBe(bob.instanceId);
  });

  it('carries data both ways; data that arrives before anyone reads waits for the first reader, in order', async () => {
    const { dialer, acceptor } = connect();
    const atDialer = dataOf(dialer);
    await Promise.all([establishedOf(dialer), establishedOf(acceptor)]);
    for (const word of ['one', 'two', 'three']) dialer.send(text(word));
    await pause(20);
    const atAcceptor = dataOf(acceptor);
    acceptor.send(text('back'));
    await eventually(() => (atAcceptor.length === 3 && atDialer.length === 1 ? true : undefined), 'data both ways');
    expect(atAcceptor).toEqual(['one', 'two', 'three']);
    expect(atDialer).toEqual(['back']);
  });

  it('close(reason) says goodbye: the peer reports GOODBYE with the reason, this side LOCAL, the socket closes 1000', async () => {
    const { ports, dialer, acceptor } = connect();
    await Promise.all([establishedOf(dialer), establishedOf(acceptor)]);
    const socket = portClosed(ports.acceptor);
    dialer.close('user signed out');
    expect(await closedOf(acceptor)).toEqual({ code: 'GOODBYE', message: 'user signed out' });
    expect(dialer.closeReason).toEqual({ code: 'LOCAL', message: 'user signed out' });
    expect(await socket).toEqual({ code: CLOSE_CODE.normal, reason: 'user signed out' });
    expect(() => dialer.send(text('late'))).toThrow(/closed channel/);
  });

  it('a peer the acceptor refuses is told why in a goodbye, and the socket carries the code', async () => {
    const stranger = testInstance(crypto);
    const ports = memoryPortPair();
    const dialer = SecureConnection.dial(ports.dialer, { crypto, identity: stranger, admit: admitting(bob) });
    const acceptor = SecureConnection.accept(ports.acceptor, { crypto, identity: bob, admit: admitting(alice) });
    const socket = portClosed(ports.dialer);
    expect(await closedOf(acceptor)).toMatchObject({ code: 'WRONG_KEY', message: expect.stringContaining(stranger.instanceId) });
    expect(await closedOf(dialer)).toMatchObject({ code: 'GOODBYE', message: expect.stringMatching(/^WRONG_KEY: /) });
    expect(await socket).toMatchObject({ code: CLOSE_CODE.channelError, reason: expect.stringMatching(/^WRONG_KEY: /) });
  });

  it('a dialer that refuses the acceptor closes before sending its identity; the acceptor sees the socket close and why', async () => {
    const { dialer, acceptor } = connect({ dialer: { admit: () => 'not the device I dialed' } });
    expect(await closedOf(dialer)).toMatchObject({ code: 'WRONG_KEY', message: expect.stringContaining('not the device I dialed') });
    const reason = await closedOf(acceptor);
    expect(reason.code).toBe('CLOSED');
    expect(reason.message).toContain('socket closed: 4000 WRONG_KEY');
  });

  it('a socket that drops ends the channel with CLOSED, naming the socket close', async () => {
    const { ports, dialer, acceptor } = connect();
    await Promise.all([establishedOf(dialer), establishedOf(acceptor)]);
    ports.sever();
    expect(await closedOf(acceptor)).toEqual({ code: 'CLOSED', message: 'the stream ended without a goodbye (open) (socket closed: 1006)' });
  });

  it('a channel error closes the socket with 4000 and "CODE: message"', async () => {
    const { dialer: raw, acceptor: port } = memoryPortPair();
    const acceptor = SecureConnection.accept(port, { crypto, identity: bob, admit: admitting(alice) });
    const socket = portClosed(raw);
    raw.on('open', () => raw.send(new Uint8Array([0, 0, 0, 5, 1, 2, 3, 4, 5])));
    expect(await closedOf(acceptor)).toMatchObject({ code: 'PROTOCOL', message: expect.stringContaining('message 1 of 5 bytes') });
    expect(await socket).toMatchObject({ code: CLOSE_CODE.channelError, reason: expect.stringMatching(/^PROTOCOL: message 1 of 5 bytes/) });
  });

  it('a dial whose socket never opens reports CONNECT_FAILED', async () => {
    const port = new MemoryPort('connecting');
    const dialer = SecureConnection.dial(port, { crypto, identity: alice, admit: admitting(bob) });
    port.end({ code: CLOSE_CODE.abnormal, reason: '' });
    expect(await closedOf(dialer)).toEqual({ code: 'CONNECT_FAILED', message: 'could not connect: the socket closed (1006)' });
  });

  it('closes a silent peer at the handshake timeout option, never later than the channel\'s 10 s', async () => {
    for (const [option, expected] of [[500, 500], [60_000, HANDSHAKE_TIMEOUT_MS]] as const) {
      const clock = new ManualClock();
      const { dialer: raw, acceptor: port } = memoryPortPair();
      const acceptor = SecureConnection.accept(port, { crypto, identity: bob, admit: admitting(alice), handshakeTimeoutMs: option, clock });
      const socket = portClosed(raw);
      clock.advance(expected - 1);
      expect(acceptor.state).toBe('handshaking');
      clock.advance(1);
      expect(acceptor.closeReason).toEqual({ code: 'HANDSHAKE_TIMEOUT', message: `no secure channel ${expected} ms after the socket was accepted` });
      expect(await socket).toMatchObject({ code: CLOSE_CODE.channelError, reason: expect.stringMatching(/^HANDSHAKE_TIMEOUT: /) });
    }
  });

  it('drives heartbeats: two idle ends stay up for minutes; a peer that sends nothing is dropped after 45 s', async () => {
    const clock = new ManualClock();
    const { dialer, acceptor } = connect({ dialer: { clock }, acceptor: { clock } });
    await Promise.all([establishedOf(dialer), establishedOf(acceptor)]);
    for (let second = 0; second < 3 * PEER_TIMEOUT_MS / 1_000; second++) {
      clock.advance(1_000);
      await pause();
    }
    expect([dialer.state, acceptor.state]).toEqual(['open', 'open']);

    // A raw peer never ticks: it sends no heartbeats, so the acceptor gives it up.
    const { dialer: rawPort, acceptor: port } = memoryPortPair();
    const quiet = SecureConnection.accept(port, { crypto, identity: bob, admit: admitting(alice), clock });
    const raw = rawInitiator(rawPort, { crypto, identity: alice, authorize: trusting(bob) });
    await establishedOf(quiet);
    let heartbeats = 0;
    rawPort.on('message', () => heartbeats++);
    clock.advance(HEARTBEAT_INTERVAL_MS);
    await pause();
    expect(heartbeats).toBe(1);
    clock.advance(PEER_TIMEOUT_MS - HEARTBEAT_INTERVAL_MS);
    expect(quiet.closeReason).toMatchObject({ code: 'HEARTBEAT_TIMEOUT' });
    await eventually(() => raw.events.find((event) => event.type === 'goodbye'), 'the goodbye at the raw peer');
  });

  it('closes with OVERSIZED when more data arrives than MAX_UNREAD_BYTES while nobody reads', async () => {
    const { dialer, acceptor } = connect();
    await Promise.all([establishedOf(dialer), establishedOf(acceptor)]);
    const body = new Uint8Array(MAX_BODY_BYTES);
    for (let sent = 0; sent <= MAX_UNREAD_BYTES; sent += body.length) dialer.send(body);
    expect(await closedOf(acceptor)).toMatchObject({ code: 'OVERSIZED' });
    expect(await closedOf(dialer)).toMatchObject({ code: 'GOODBYE', message: expect.stringMatching(/^OVERSIZED: /) });
  });
});
