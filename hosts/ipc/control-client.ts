/**
 * The renderer's way to the orchestration table when there is no Electron: a WebSocket to the
 * Node host's control socket. Plain TS over the standard WebSocket interface, so it runs in the
 * browser and, with the `ws` package passed in, in Node 20 (which has no global WebSocket).
 */
import type { PushChannel } from './channels.ts';
import { invokeChannels, isPushChannel } from './channels.ts';
import type { OrchestrationClient, PushSubscribe } from './client.ts';
import type { ControlPush, ControlReply, ControlRequest } from './control-protocol.ts';
import { CONTROL_PROTOCOL, SECRET_PROTOCOL_PREFIX } from './control-protocol.ts';
import { OrchestrationError } from './orchestration-error.ts';
import type { InvokeHandlers } from './orchestrator.ts';

/** The part of the WHATWG WebSocket this client uses; the browser's and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
}
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

export type ControlClient = OrchestrationClient & {
  /** Settles when the socket closes, for whatever reason; the caller decides whether to reconnect. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): void;
};

const OPEN = 1;

export type ConnectOptions = {
  /** e.g. `ws://127.0.0.1:PORT/control` */
  url: string;
  /** The per-launch secret the host put in the page's URL fragment. */
  secret: string;
  WebSocket?: WebSocketConstructor;
};

/** Opens the socket; rejects with CONNECT_FAILED if the host refuses it (wrong secret or origin). */
export async function connectControl({ url, secret, WebSocket = globalThis.WebSocket }: ConnectOptions): Promise<ControlClient> {
  if (!WebSocket) throw new Error('connectControl: no global WebSocket here; pass one (e.g. from the ws package)');
  const socket = new WebSocket(url, [CONTROL_PROTOCOL, SECRET_PROTOCOL_PREFIX + secret]);
  const pending = new Map<number, { resolve(response: unknown): void; reject(error: Error): void }>();
  const listeners = new Map<PushChannel, Set<(payload: never) => void>>();
  let nextId = 0;

  const call = (channel: string, request: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      if (socket.readyState !== OPEN) return reject(new OrchestrationError('DISCONNECTED', 'the control socket is closed'));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, channel, request } satisfies ControlRequest));
    });

  const on: PushSubscribe = (channel, listener) => {
    if (!isPushChannel(channel)) throw new OrchestrationError('UNKNOWN_CHANNEL', `no push channel named ${String(channel)}`);
    const set = listeners.get(channel) ?? new Set();
    listeners.set(channel, set);
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  };

  socket.addEventListener('message', ({ data }) => {
    const message = parse(data);
    if (!message) return;
    if ('push' in message) {
      for (const listener of listeners.get(message.push) ?? []) listener(message.payload as never);
      return;
    }
    const waiter = typeof message.id === 'number' ? pending.get(message.id) : undefined;
    if (!waiter) return;
    pending.delete(message.id as number);
    if (message.ok) waiter.resolve(message.response);
    else waiter.reject(new OrchestrationError(message.error.code, message.error.message));
  });

  const calls = Object.fromEntries(
    invokeChannels.map((channel) => [channel, (request: unknown) => call(channel, request)]),
  ) as unknown as InvokeHandlers;

  let settleClosed!: (info: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (settleClosed = resolve));
  const client: ControlClient = { ...calls, on, closed, close: () => socket.close(1000, 'client done') };

  return await new Promise((resolve, reject) => {
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      resolve(client);
    });
    // Browsers say nothing about why an upgrade was refused; 'close' follows 'error' either way.
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', ({ code, reason }) => {
      for (const waiter of pending.values()) waiter.reject(new OrchestrationError('DISCONNECTED', `the control socket closed (${code})`));
      pending.clear();
      settleClosed({ code, reason });
      if (!opened) reject(new OrchestrationError('CONNECT_FAILED', `the host refused the control socket (${code})`));
    });
  });
}

/** The host only sends JSON text; anything else is dropped rather than thrown inside a socket callback. */
function parse(data: unknown): ControlReply | ControlPush | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(data) as ControlReply | ControlPush;
  } catch {
    return undefined;
  }
}
