import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { CLOSE_CODE, type FramePort } from './frame-port.ts';
import { CLOSE_GRACE_MS, MAX_SOCKET_MESSAGE_BYTES, WebSocketPort } from './ws-port.ts';

/**
 * The federation's WebSocket listener (specs/handshake.md "Sockets"): `ws` on 127.0.0.1 only,
 * handing each accepted socket to `onSocket` as a FramePort. It guards what it can see before any
 * byte of LAMA/1: the Origin of the upgrade, a cap on open sockets, slow HTTP requests, and the
 * size of one message. What happens on a socket is the secure connection's business.
 */
export const DEFAULT_FEDERATION_PORT = 8765;
/** Sockets open at once; a personal device has a handful of contacts, each with a few Instances. */
export const DEFAULT_MAX_SOCKETS = 64;
/** An HTTP upgrade request must be complete within this, so a half-sent request cannot hold a slot. */
export const UPGRADE_TIMEOUT_MS = 5_000;
/** TCP connections beyond the socket cap still get a clear 503 rather than a reset, up to this many. */
const REFUSAL_SLACK = 16;

export interface WebSocketListenOptions {
  /** Default 8765; 0 lets the system choose (tests). */
  readonly port?: number;
  /**
   * Web origins whose pages may connect: the host's own UI origin, exactly (`http://127.0.0.1:5173`).
   * An upgrade without an Origin header comes from a native peer (another Node device) and is let in;
   * one from any other origin is refused with 403 — WebSockets are not bound by the same-origin
   * policy, so otherwise any web page the user opens could reach the listener.
   */
  readonly allowedOrigins: readonly string[];
  readonly maxSockets?: number;
  readonly onSocket: (port: FramePort) => void;
}

export interface WebSocketListener {
  /** The bound port (the chosen one when 0 was asked for). */
  readonly port: number;
  readonly url: string;
  /** Stops accepting, closes every socket with GOING_AWAY (cut after a grace period), and resolves once the port is free. */
  close(): Promise<void>;
}

export type ListenErrorCode = 'PORT_IN_USE' | 'LISTEN_FAILED';

export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(
    readonly code: ListenErrorCode,
    readonly port: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const HOST = '127.0.0.1';

export async function listenWebSocket(options: WebSocketListenOptions): Promise<WebSocketListener> {
  const requestedPort = options.port ?? DEFAULT_FEDERATION_PORT;
  const maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  const allowed = new Set(options.allowedOrigins);
  const http = createServer({ headersTimeout: UPGRADE_TIMEOUT_MS, requestTimeout: UPGRADE_TIMEOUT_MS, connectionsCheckingInterval: 1_000 });
  http.maxConnections = maxSockets + REFUSAL_SLACK;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_SOCKET_MESSAGE_BYTES, perMessageDeflate: false });

  let stopping = false;
  // Plain HTTP gets nothing here but a pointer to the protocol.
  http.on('request', (_request, response) => response.writeHead(426, { connection: 'close', upgrade: 'websocket' }).end());
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that resets mid-refusal must not take the listener down.
    socket.on('error', ignore);
    const origin = request.headers.origin;
    if (origin !== undefined && !allowed.has(origin)) return refuse(socket, 403, 'Forbidden');
    if (stopping || wss.clients.size >= maxSockets) return refuse(socket, 503, 'Service Unavailable');
    wss.handleUpgrade(request, socket, head, (ws) => {
      socket.off('error', ignore);
      ws.binaryType = 'nodebuffer';
      options.onSocket(new WebSocketPort(ws));
    });
  });

  const port = await bind(http, requestedPort);
  return {
    port,
    url: `ws://${HOST}:${port}`,
    close: async () => {
      stopping = true;
      const closing = new Promise<void>((resolve) => http.close(() => resolve()));
      for (const client of wss.clients) client.close(CLOSE_CODE.goingAway, 'listener stopping');
      const cut = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
        http.closeAllConnections();
      }, CLOSE_GRACE_MS);
      await closing;
      clearTimeout(cut);
      wss.close();
    },
  };
}

function bind(http: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new ListenError('PORT_IN_USE', port, `port ${port} on ${HOST} is already in use: stop what holds it, or choose another federation port`, { cause: error }));
      else reject(new ListenError('LISTEN_FAILED', port, `cannot listen on ${HOST}:${port}: ${error.message}`, { cause: error }));
    };
    http.once('error', onError);
    http.listen(port, HOST, () => {
      http.off('error', onError);
      resolve((http.address() as AddressInfo).port);
    });
  });
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function ignore(): void {}
