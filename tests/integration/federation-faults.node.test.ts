/**
 * The federation listener under attack, over real sockets on 127.0.0.1: while one healthy client
 * keeps exchanging data through it, each fault closes only the offending connection, with its own
 * reason, and the healthy connection never notices. Every wait here is bounded in time and every
 * loop in count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { platformCrypto as crypto } from '../../actors/crypto/platform.node.ts';
import type { Identity } from '../../actors/identity/identity.ts';
import { testInstance, text, trusting } from '../../actors/net/channel-test-kit.ts';
import { closed, opened } from '../../actors/net/frame-port-tests.ts';
import { CLOSE_CODE, type FramePortClose } from '../../actors/net/frame-port.ts';
import { closedOf, eventually, rawInitiator } from '../../actors/net/secure-connection-test-kit.ts';
import { SecureConnection } from '../../actors/net/secure-connection.ts';
import { connectWebSocket } from '../../actors/net/ws-client.node.ts';
import { contacts, newIdentity, startHealthyClient, startListener, until } from './federation-kit.node.ts';

const UI_ORIGIN = 'http://127.0.0.1:5173';
const HANDSHAKE_TIMEOUT_MS = 400;

describe('federation listener faults (real sockets on 127.0.0.1)', () => {
  let server: Identity;
  let healthyIdentity: Identity;
  /** A known contact that misbehaves on the wire: its handshakes succeed, its frames do not. */
  const rogue = testInstance(crypto);
  let listener: Awaited<ReturnType<typeof startListener>>;
  let healthy: ReturnType<typeof startHealthyClient>;
  let healthyId: string;

  beforeAll(async () => {
    [server, healthyIdentity] = await Promise.all([newIdentity(crypto, 'server'), newIdentity(crypto, 'healthy')]);
    listener = await startListener({
      crypto,
      identity: server,
      admit: contacts(healthyIdentity, rogue),
      allowedOrigins: [UI_ORIGIN],
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
      maxHandshaking: 16,
    });
    healthy = startHealthyClient({ crypto, identity: healthyIdentity, server, url: listener.url });
    await until(() => healthy.stats.echoed >= 10, 'the healthy client to get its first echoes');
    healthyId = listener.ups.find((up) => up.peer.instanceId === healthyIdentity.instanceId)!.id;
  });

  afterAll(() => {
    healthy?.actor.stop();
    listener?.actor.stop();
  });

  /** Runs a fault and checks the healthy connection kept working through it and nothing else went down but the fault's own. */
  async function whileHealthy(fault: () => Promise<void>): Promise<typeof listener.downs> {
    const downsBefore = listener.downs.length;
    const echoedBefore = healthy.stats.echoed;
    await fault();
    await until(() => healthy.stats.echoed >= echoedBefore + 20, 'the healthy client to keep getting echoes');
    expect(healthy.actor.getSnapshot().matches({ linked: 'up' })).toBe(true);
    expect(healthy.stats.outOfOrder).toBe(0);
    expect(healthy.statuses.filter((s) => s.type === 'connection.down')).toEqual([]);
    const downs = listener.downs.slice(downsBefore);
    expect(downs.map((down) => down.id)).not.toContain(healthyId);
    return downs;
  }

  /** The listener's down reasons for the connections that went down during a fault. */
  async function downCodes(downsBefore: number, count: number): Promise<string[]> {
    await until(() => listener.downs.length >= downsBefore + count, `${count} connection(s) down`);
    return listener.downs.slice(downsBefore).map((down) => down.reason.code);
  }

  /** A client that runs its own channel over a raw socket, trusted by the listener. */
  async function establishedRaw() {
    const port = connectWebSocket(listener.url);
    const socketClosed = closed(port);
    const peer = rawInitiator(port, { crypto, identity: rogue, authorize: trusting(server) });
    await eventually(() => peer.events.find((event) => event.type === 'established'), 'the raw client to be established');
    // The listener has it as a live connection once it reports established.
    await until(() => listener.ups.some((up) => up.peer.instanceId === rogue.instanceId && !listener.downs.some((down) => down.id === up.id)), 'the raw client up at the listener');
    return { port, peer, socketClosed };
  }

  it('wrong key: a peer the listener does not know is refused, told why, and closed', async () => {
    const downs = await whileHealthy(async () => {
      const stranger = testInstance(crypto);
      const connection = SecureConnection.dial(connectWebSocket(listener.url), { crypto, identity: stranger, admit: contacts(server) });
      expect(await closedOf(connection)).toMatchObject({ code: 'GOODBYE', message: expect.stringMatching(/^WRONG_KEY: peer [0-9a-f]{64} refused: unknown instance/) });
    });
    expect(downs.map((down) => down.reason.code)).toEqual(['WRONG_KEY']);
  });

  it('tampered frame: one flipped byte of an encrypted frame closes that connection with TAMPERED', async () => {
    const downs = await whileHealthy(async () => {
      const { peer, socketClosed } = await establishedRaw();
      const before = listener.downs.length;
      peer.alter = (bytes) => {
        const mangled = bytes.slice();
        mangled[10]! ^= 0x01;
        return mangled;
      };
      peer.channel.send(text('hello'));
      expect(await downCodes(before, 1)).toEqual(['TAMPERED']);
      expect(await socketClosed).toMatchObject({ code: CLOSE_CODE.channelError, reason: expect.stringMatching(/^TAMPERED: /) });
    });
    expect(downs).toHaveLength(1);
  });

  it('replayed frame: a data frame sent twice closes that connection with REPLAYED_OR_REORDERED', async () => {
    const downs = await whileHealthy(async () => {
      const { port, peer, socketClosed } = await establishedRaw();
      const before = listener.downs.length;
      peer.channel.send(text('pay 10'));
      port.send(peer.written.at(-1)!);
      expect(await downCodes(before, 1)).toEqual(['REPLAYED_OR_REORDERED']);
      expect((await socketClosed).reason).toMatch(/^REPLAYED_OR_REORDERED: frame \d+ is a copy of frame \d+: replayed/);
    });
    expect(downs).toHaveLength(1);
  });

  it('truncated frame: a socket that sends half a frame and closes ends with TRUNCATED', async () => {
    const downs = await whileHealthy(async () => {
      const { port, peer } = await establishedRaw();
      const before = listener.downs.length;
      peer.alter = (bytes) => bytes.subarray(0, bytes.length >> 1);
      peer.channel.send(text('a frame cut in half'));
      port.close(CLOSE_CODE.normal, 'bye');
      expect(await downCodes(before, 1)).toEqual(['TRUNCATED']);
    });
    expect(downs[0]?.reason.message).toMatch(/the stream ended inside a message/);
  });

  it('oversized frame: a length prefix over the maximum closes with OVERSIZED before anything is buffered', async () => {
    const downs = await whileHealthy(async () => {
      const { port, socketClosed } = await establishedRaw();
      const before = listener.downs.length;
      port.send(new Uint8Array([0xff, 0xff, 0xff, 0xf0, 1, 2, 3]));
      expect(await downCodes(before, 1)).toEqual(['OVERSIZED']);
      expect((await socketClosed).reason).toMatch(/^OVERSIZED: a message of 4294967280 bytes announced/);
    });
    expect(downs).toHaveLength(1);
  });

  it('a client that stalls mid-handshake is closed at the handshake timeout', async () => {
    const downs = await whileHealthy(async () => {
      const port = connectWebSocket(listener.url);
      const socketClosed = closed(port);
      const peer = rawInitiator(port, { crypto, identity: rogue, authorize: trusting(server) });
      let written = 0;
      peer.alter = (bytes) => (written++ === 0 ? bytes : undefined); // message 1, then silence
      await opened(port);
      const started = performance.now();
      const close = await socketClosed;
      const elapsed = performance.now() - started;
      expect(close).toMatchObject({ code: CLOSE_CODE.channelError, reason: expect.stringMatching(/^HANDSHAKE_TIMEOUT: /) });
      expect(elapsed).toBeGreaterThanOrEqual(HANDSHAKE_TIMEOUT_MS - 100);
      expect(elapsed).toBeLessThan(HANDSHAKE_TIMEOUT_MS + 2_000);
    });
    expect(downs.map((down) => down.reason.code)).toEqual(['HANDSHAKE_TIMEOUT']);
  });

  it('200 concurrent bogus connections are all closed, in bounded time and memory, and nobody else notices', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const refusedBefore = listener.actor.getSnapshot().context.refused;
    const closes: (FramePortClose | 'refused at upgrade')[] = [];
    await whileHealthy(async () => {
      const kinds = ['random bytes', 'half a handshake', 'silence', 'wrong first message'] as const;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => {
          const kind = kinds[i % kinds.length]!;
          const port = connectWebSocket(listener.url);
          port.on('open', () => {
            if (kind === 'random bytes') port.send(crypto.randomBytes(100 + i));
            else if (kind === 'wrong first message') port.send(new Uint8Array([0, 0, 0, 3, 1, 2, 3]));
            else if (kind === 'half a handshake') rawInitiator(port, { crypto, identity: rogue, authorize: () => new Promise(() => {}) });
          });
          return closed(port).then((close) => closes.push(close.code === CLOSE_CODE.abnormal ? 'refused at upgrade' : close));
        }),
      );
      expect(performance.now() - started).toBeLessThan(10_000);
    });
    expect(closes).toHaveLength(200);
    const codes = new Set(closes.map((close) => (typeof close === 'string' ? close : close.code)));
    // Protocol errors and handshake timeouts (4000); some shed for capacity (4002) or at the upgrade (503).
    expect(codes.has(CLOSE_CODE.channelError)).toBe(true);
    expect([...codes].every((code) => code === CLOSE_CODE.channelError || code === CLOSE_CODE.overCapacity || code === 'refused at upgrade')).toBe(true);
    expect(listener.actor.getSnapshot().context.refused).toBeGreaterThan(refusedBefore);
    // Nothing is left behind: only the healthy connection is still live at the listener.
    await until(() => Object.keys(listener.actor.getSnapshot().context.connections).length === 1, 'the listener to forget the bogus connections');
    expect(Object.keys(listener.actor.getSnapshot().context.connections)).toEqual([healthyId]);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024);
  }, 30_000);

  it('a request with a foreign Origin is refused at the upgrade with 403; the allowed origin connects', async () => {
    const acceptedBefore = listener.actor.getSnapshot().context.accepted;
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(listener.url, { origin: 'http://evil.example' });
      socket.on('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.on('open', () => reject(new Error('a page from http://evil.example got in')));
      socket.on('error', () => {});
    });
    expect(status).toBe(403);
    expect(listener.actor.getSnapshot().context.accepted).toBe(acceptedBefore);

    const page = SecureConnection.dial(connectWebSocket(listener.url, { origin: UI_ORIGIN }), { crypto, identity: rogue, admit: contacts(server) });
    await new Promise<void>((resolve, reject) => {
      page.on('established', () => resolve());
      page.on('closed', (reason) => reject(new Error(`${reason.code}: ${reason.message}`)));
    });
    page.close('done');
  });

  it('a port already in use is a clear error naming the port', async () => {
    const second = await startListener({ crypto, identity: server, admit: contacts(), allowedOrigins: [], port: listener.port });
    const snapshot = second.actor.getSnapshot();
    expect(snapshot.value).toBe('failed');
    expect(snapshot.context.reason).toEqual({ code: 'PORT_IN_USE', message: `port ${listener.port} on 127.0.0.1 is already in use: stop what holds it, or choose another federation port` });
    // The first listener is untouched.
    await until(() => healthy.stats.echoed > 0 && listener.actor.getSnapshot().matches({ running: 'listening' }), 'the first listener to keep listening');
  });
});
