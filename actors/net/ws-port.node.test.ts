import { createServer, request as httpRequest } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { closed, opened, pause, runFramePortTests } from './frame-port-tests.ts';
import { CLOSE_CODE, type FramePort } from './frame-port.ts';
import { connectWebSocket } from './ws-client.node.ts';
import { CLOSE_GRACE_MS, MAX_SOCKET_MESSAGE_BYTES, WebSocketPort } from './ws-port.ts';
import { ListenError, listenWebSocket, type WebSocketListenOptions, type WebSocketListener } from './ws-server.node.ts';

/** A listener on a free loopback port whose accepted sockets queue up for the test to take. */
async function listen(options: Partial<WebSocketListenOptions> = {}) {
  const waiting: ((port: FramePort) => void)[] = [];
  const accepted: FramePort[] = [];
  const listener = await listenWebSocket({
    port: 0,
    allowedOrigins: [],
    ...options,
    onSocket: (port) => {
      const next = waiting.shift();
      if (next) next(port);
      else accepted.push(port);
    },
  });
  const nextAccepted = (): Promise<FramePort> => {
    const ready = accepted.shift();
    return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
  };
  return { listener, nextAccepted };
}

/** The shared adapter driven as a page drives it: ArrayBuffer messages and no terminate(), as in a browser. */
function browserLikePort(url: string): FramePort {
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  return new WebSocketPort(Object.assign(socket, { terminate: undefined }));
}

for (const [title, dial] of [
  ['ws server, ws client', (url: string) => connectWebSocket(url)],
  ['ws server, WebSocket API as in a browser', browserLikePort],
] as const) {
  runFramePortTests(async () => {
    const { listener, nextAccepted } = await listen();
    const dialer = dial(listener.url);
    const acceptor = await nextAccepted();
    return {
      dialer,
      acceptor,
      teardown: async () => {
        dialer.close();
        await listener.close();
      },
    };
  }, title);
}

/** What the server answered an upgrade with: the status, or 101 when it accepted. */
function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe('listenWebSocket', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function started(options: Partial<WebSocketListenOptions> = {}) {
    const result = await listen(options);
    cleanups.push(() => result.listener.close());
    return result;
  }

  it('listens on 127.0.0.1 only', async () => {
    const { listener } = await started();
    expect(listener.url).toBe(`ws://127.0.0.1:${listener.port}`);
    expect(listener.port).toBeGreaterThan(0);
  });

  it('lets in native peers (no Origin) and the allowed page origin, and refuses every other origin with 403 at the upgrade', async () => {
    const ui = 'http://127.0.0.1:5173';
    const { listener } = await started({ allowedOrigins: [ui] });
    expect(await upgradeStatus(listener.url)).toBe(101);
    expect(await upgradeStatus(listener.url, ui)).toBe(101);
    for (const origin of ['http://evil.example', `${ui}/`, 'http://localhost:5173', 'null']) {
      expect(await upgradeStatus(listener.url, origin), origin).toBe(403);
    }
  });

  it('answers plain HTTP with 426 Upgrade Required', async () => {
    const { listener } = await started();
    const status = await new Promise<number>((resolve, reject) =>
      httpRequest(`http://127.0.0.1:${listener.port}/`, (response) => resolve(response.statusCode ?? 0)).on('error', reject).end(),
    );
    expect(status).toBe(426);
  });

  it('refuses upgrades beyond maxSockets with 503, and takes new ones once a socket has gone', async () => {
    const { listener, nextAccepted } = await started({ maxSockets: 2 });
    const ports = [connectWebSocket(listener.url), connectWebSocket(listener.url)];
    cleanups.push(() => ports.forEach((port) => port.close()));
    await Promise.all([...ports.map(opened), nextAccepted(), nextAccepted()]);
    expect(await upgradeStatus(listener.url)).toBe(503);
    ports[0]!.close();
    await closed(ports[0]!);
    await pause(20);
    expect(await upgradeStatus(listener.url)).toBe(101);
  });

  it('names the port when it is already in use', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => holder.close(() => resolve())));
    const port = (holder.address() as { port: number }).port;
    const attempt = listenWebSocket({ port, allowedOrigins: [], onSocket: () => {} });
    await expect(attempt).rejects.toThrow(ListenError);
    await expect(attempt).rejects.toMatchObject({ code: 'PORT_IN_USE', port, message: expect.stringContaining(`port ${port}`) });
  });

  it('closes a socket that sends text with BINARY_ONLY', async () => {
    const { listener, nextAccepted } = await started();
    const socket = new WebSocket(listener.url);
    const accepted = await nextAccepted();
    await new Promise((resolve) => socket.once('open', resolve));
    const clientClose = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send('hello');
    expect(await closed(accepted)).toMatchObject({ code: CLOSE_CODE.binaryOnly });
    expect(await clientClose).toBe(CLOSE_CODE.binaryOnly);
  });

  it('refuses a message over one secure-channel message with 1009, before buffering it', async () => {
    const { listener, nextAccepted } = await started();
    const dialer = connectWebSocket(listener.url);
    const accepted = await nextAccepted();
    await opened(dialer);
    const errors: Error[] = [];
    accepted.on('error', (error) => errors.push(error));
    dialer.send(new Uint8Array(MAX_SOCKET_MESSAGE_BYTES + 1));
    expect((await closed(dialer)).code).toBe(CLOSE_CODE.messageTooBig);
    await closed(accepted);
    expect(errors[0]?.message).toMatch(/payload/i);
  });

  it('on close, tells every socket GOING_AWAY and frees the port', async () => {
    const { listener, nextAccepted } = await started();
    const dialer = connectWebSocket(listener.url);
    await nextAccepted();
    await opened(dialer);
    const port = listener.port;
    await listener.close();
    expect(await closed(dialer)).toEqual({ code: CLOSE_CODE.goingAway, reason: 'listener stopping' });
    const again = await listenWebSocket({ port, allowedOrigins: [], onSocket: () => {} });
    await again.close();
  });

  it('cuts a socket that never answers its close after the grace period', async () => {
    const { listener, nextAccepted } = await started();
    const raw = await rawUpgrade(listener);
    const accepted = await nextAccepted();
    const started_ = performance.now();
    accepted.close(CLOSE_CODE.channelError, 'PROTOCOL: test');
    const close = await closed(accepted);
    expect(close.code).toBe(CLOSE_CODE.abnormal);
    expect(performance.now() - started_).toBeGreaterThanOrEqual(CLOSE_GRACE_MS - 50);
    raw.destroy();
  });
});

/** A TCP client that completes the upgrade by hand and then ignores everything, close frames included. */
async function rawUpgrade(listener: WebSocketListener) {
  const socket = tcpConnect(listener.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  await new Promise((resolve) => socket.once('data', resolve));
  socket.on('data', () => {});
  return socket;
}
