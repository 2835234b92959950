import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { connectControl } from '../ipc/control-client.ts';
import type { WebSocketConstructor } from '../ipc/control-client.ts';
import { CONTROL_PROTOCOL, MAX_CONTROL_FRAME_BYTES, SECRET_PROTOCOL_PREFIX } from '../ipc/control-protocol.ts';
import { INSTANCE, PASSPHRASE, PERSON, testHost } from '../ipc/ipc-test-kit.ts';
import type { InvokeHandlers } from '../ipc/orchestrator.ts';
import { attachControlSocket, createControlSecret } from './control-socket.node.ts';

const hosts: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

/** A host as the Node host will run it: a loopback HTTP server with the control socket attached. */
async function startHost(overrides: Partial<InvokeHandlers> = {}) {
  const { orchestrator, pushes } = testHost(overrides);
  const server = createServer((_request, response) => response.end('the UI'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const secret = createControlSecret();
  const onInternalError = vi.fn();
  const control = attachControlSocket(server, { orchestrator, secret, origin, onInternalError });
  let stopped: Promise<void> | undefined;
  const host = {
    port, origin, secret, pushes, onInternalError,
    url: `ws://127.0.0.1:${port}/control`,
    protocols: [CONTROL_PROTOCOL, SECRET_PROTOCOL_PREFIX + secret],
    stop: () =>
      (stopped ??= (async () => {
        await control.close();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      })()),
  };
  hosts.push(host);
  return host;
}
type Host = Awaited<ReturnType<typeof startHost>>;

/** A raw client; rejects with ws's "Unexpected server response: <status>" when the upgrade is refused. */
function open(url: string, options: { origin?: string; protocols?: string[] }): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options.protocols ?? [], options.origin ? { origin: options.origin } : {});
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function nextMessage(socket: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

async function ask(socket: WebSocket, frame: string): Promise<Record<string, unknown>> {
  const reply = nextMessage(socket);
  socket.send(frame);
  return reply;
}

function closeOf(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

/** What a page on `origin` would construct: the browser sets Origin itself, ws needs to be told. */
function webSocketFrom(origin: string): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string, protocols: string[]) {
      super(url, protocols, { origin });
    }
  };
}

describe('control socket', () => {
  it('serves invokes and pushes to the page the host opened', async () => {
    const host = await startHost();
    const client = await connectControl({ url: host.url, secret: host.secret, WebSocket: webSocketFrom(host.origin) });
    try {
      expect(await client['orchestrate:provision']({ name: ' Ada ', passphrase: PASSPHRASE })).toEqual({
        personId: PERSON, instanceId: INSTANCE, created: true,
      });
      await expect(client['orchestrate:provision']({ name: 'Ada', passphrase: 'not the one' })).rejects.toMatchObject({
        name: 'OrchestrationError', code: 'WRONG_PASSPHRASE',
      });

      const heard: unknown[] = [];
      const arrived = new Promise<void>((resolve) => client.on('status:federationConnected', (payload) => { heard.push(payload); resolve(); }));
      // A push the schema refuses never leaves the host; the good one after it does.
      host.pushes.publish('status:federationConnected', { peer: '', connected: true });
      host.pushes.publish('status:federationConnected', { peer: 'browser', connected: true });
      await arrived;
      expect(heard).toEqual([{ peer: 'browser', connected: true }]);
      expect(host.onInternalError).toHaveBeenCalledOnce();
    } finally {
      client.close();
    }
  });

  it('answers concurrent requests by id, whatever order they finish in', async () => {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const host = await startHost({
      'orchestrate:status': async () => {
        await slow;
        return { app: { state: 'slow', failures: [] }, provisioned: null };
      },
    });
    const client = await connectControl({ url: host.url, secret: host.secret, WebSocket: webSocketFrom(host.origin) });
    try {
      const first = client['orchestrate:status']({});
      expect(await client['orchestrate:provision']({ name: 'Ada', passphrase: PASSPHRASE })).toMatchObject({ personId: PERSON });
      release();
      expect(await first).toMatchObject({ app: { state: 'slow' } });
    } finally {
      client.close();
    }
  });

  it.each([
    ['another site (DNS rebinding, cross-site WebSocket hijacking)', () => 'http://evil.example'],
    ['another port on loopback', (host: Host) => `http://127.0.0.1:${host.port + 1}`],
    ['the same port under another name', (host: Host) => `http://localhost:${host.port}`],
    ['the origin with a trailing slash', (host: Host) => `${host.origin}/`],
    ['no Origin header (a local process)', () => undefined],
  ])('refuses %s with 403 even with the right secret', async (_, originOf) => {
    const host = await startHost();
    await expect(open(host.url, { origin: originOf(host), protocols: host.protocols })).rejects.toThrow('Unexpected server response: 403');
  });

  it.each([
    ['no secret', () => [CONTROL_PROTOCOL]],
    ['a wrong secret', () => [CONTROL_PROTOCOL, SECRET_PROTOCOL_PREFIX + createControlSecret()]],
    ['a prefix of the secret', (host: Host) => [CONTROL_PROTOCOL, SECRET_PROTOCOL_PREFIX + host.secret.slice(0, -1)]],
    ['an empty secret', () => [CONTROL_PROTOCOL, SECRET_PROTOCOL_PREFIX]],
    ['the secret without the control protocol', (host: Host) => [SECRET_PROTOCOL_PREFIX + host.secret]],
    ['no subprotocols at all', () => []],
  ])('refuses %s with 401 even from the right origin', async (_, protocolsOf) => {
    const host = await startHost();
    await expect(open(host.url, { origin: host.origin, protocols: protocolsOf(host) })).rejects.toThrow('Unexpected server response: 401');
  });

  it('refuses other paths with 404', async () => {
    const host = await startHost();
    await expect(open(host.url.replace('/control', '/other'), { origin: host.origin, protocols: host.protocols })).rejects.toThrow(
      'Unexpected server response: 404',
    );
  });

  it('selects the control protocol and never echoes the secret', async () => {
    const host = await startHost();
    const socket = await open(host.url, { origin: host.origin, protocols: [SECRET_PROTOCOL_PREFIX + host.secret, CONTROL_PROTOCOL] });
    expect(socket.protocol).toBe(CONTROL_PROTOCOL);
    socket.close();
  });

  it('tells the client why when the upgrade is refused', async () => {
    const host = await startHost();
    await expect(connectControl({ url: host.url, secret: 'guessed', WebSocket: webSocketFrom(host.origin) })).rejects.toMatchObject({
      code: 'CONNECT_FAILED',
    });
  });

  it('answers broken messages with errors and keeps serving this client and the next', async () => {
    const host = await startHost();
    const socket = await open(host.url, { origin: host.origin, protocols: host.protocols });
    expect(await ask(socket, '{ not json')).toEqual({ id: null, ok: false, error: { code: 'BAD_MESSAGE', message: 'not JSON' } });
    expect(await ask(socket, JSON.stringify({ id: 7, request: {} }))).toMatchObject({ id: 7, ok: false, error: { code: 'BAD_MESSAGE' } });
    expect(await ask(socket, JSON.stringify([1, 2]))).toMatchObject({ id: null, ok: false, error: { code: 'BAD_MESSAGE' } });
    expect(await ask(socket, JSON.stringify({ id: 1, channel: 'orchestrate:chat', request: {} }))).toMatchObject({
      id: 1, ok: false, error: { code: 'UNKNOWN_CHANNEL' },
    });
    expect(await ask(socket, JSON.stringify({ id: 2, channel: 'orchestrate:provision', request: { name: 'Ada', passphrase: 'short' } }))).toMatchObject({
      id: 2, ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('passphrase') },
    });
    const binaryReply = nextMessage(socket);
    socket.send(Buffer.from([1, 2, 3]));
    expect(await binaryReply).toMatchObject({ id: null, ok: false, error: { code: 'BAD_MESSAGE' } });

    expect(await ask(socket, JSON.stringify({ id: 3, channel: 'orchestrate:status', request: {} }))).toMatchObject({ id: 3, ok: true });
    const second = await open(host.url, { origin: host.origin, protocols: host.protocols });
    expect(await ask(second, JSON.stringify({ id: 'a', channel: 'orchestrate:status', request: {} }))).toMatchObject({ id: 'a', ok: true });
    socket.close();
    second.close();
  });

  it('closes a client that sends an oversized frame with 1009, and only that client', async () => {
    const host = await startHost();
    const greedy = await open(host.url, { origin: host.origin, protocols: host.protocols });
    const other = await open(host.url, { origin: host.origin, protocols: host.protocols });
    const closed = closeOf(greedy);
    greedy.send('x'.repeat(MAX_CONTROL_FRAME_BYTES + 1));
    expect(await closed).toBe(1009);
    expect(await ask(other, JSON.stringify({ id: 1, channel: 'orchestrate:status', request: {} }))).toMatchObject({ id: 1, ok: true });
    other.close();
  });

  it('accepts a frame of exactly the maximum size', async () => {
    const host = await startHost();
    const socket = await open(host.url, { origin: host.origin, protocols: host.protocols });
    const frame = JSON.stringify({ id: 1, channel: 'orchestrate:status', request: {} });
    const reply = await ask(socket, frame + ' '.repeat(MAX_CONTROL_FRAME_BYTES - frame.length));
    expect(reply).toMatchObject({ id: 1, ok: true });
    socket.close();
  });

  it('closes its clients with 1001 and stops pushing when the host stops', async () => {
    const host = await startHost();
    const client = await connectControl({ url: host.url, secret: host.secret, WebSocket: webSocketFrom(host.origin) });
    const heard = vi.fn();
    client.on('status:app', heard);
    await host.stop();
    expect(await client.closed).toMatchObject({ code: 1001 });
    host.pushes.publish('status:app', { state: 'stopped', failures: [] });
    await expect(client['orchestrate:status']({})).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(heard).not.toHaveBeenCalled();
  });
});

describe('createControlSecret', () => {
  it('gives 32 random bytes as base64url, a valid subprotocol token', () => {
    const secret = createControlSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(createControlSecret()).not.toBe(secret);
  });
});
