/**
 * The Node host's control socket: the orchestration table (hosts/ipc/channels.ts) over a WebSocket
 * at `/control` on the host's own loopback HTTP server, for a browser renderer when there is no
 * Electron. Only the page the host opened may drive it: the upgrade must come from the host's
 * exact UI origin (which a web page cannot forge) and carry the per-launch secret (which another
 * local process cannot know). Protocol and threat model: specs/ipc.md §3–4.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import type { ControlPush, ControlReply, RequestId } from '../ipc/control-protocol.ts';
import { CONTROL_PATH, CONTROL_PROTOCOL, MAX_CONTROL_FRAME_BYTES, SECRET_PROTOCOL_PREFIX, controlRequestSchema, requestIdSchema } from '../ipc/control-protocol.ts';
import type { DispatchOptions } from '../ipc/dispatch.ts';
import { checkPush, dispatch, failure } from '../ipc/dispatch.ts';
import type { Orchestrator } from '../ipc/orchestrator.ts';

export type ControlSocketOptions = DispatchOptions & {
  orchestrator: Orchestrator;
  /** From `createControlSecret()`, handed to the renderer in the URL fragment of the page the host opens. */
  secret: string;
  /** The host's own UI origin, exactly: `http://127.0.0.1:PORT`. */
  origin: string;
};

export type ControlSocket = { close(): Promise<void> };

/** 32 random bytes, base64url: a valid subprotocol token as is. */
export function createControlSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Serves the control socket on `server`, which the host has bound to 127.0.0.1. The socket owns the
 * server's upgrades: any other path is answered 404 (federation listens on its own port).
 */
export function attachControlSocket(server: Server, options: ControlSocketOptions): ControlSocket {
  const { orchestrator, secret, origin } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CONTROL_FRAME_BYTES, handleProtocols: () => CONTROL_PROTOCOL });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that resets mid-refusal must not take the host down.
    socket.on('error', ignore);
    const refusal = refusalOf(request, secret, origin);
    if (refusal) return refuse(socket, ...refusal);
    socket.off('error', ignore);
    wss.handleUpgrade(request, socket, head, (ws) => serve(ws));
  };

  const serve = (ws: WebSocket) => {
    // ws reports oversized frames, bad UTF-8 and resets here, then closes only this client.
    ws.on('error', (error) => options.onInternalError?.(error, 'control socket client'));
    ws.on('message', (data, isBinary) => {
      answer(ws, data, isBinary).catch((error: unknown) => options.onInternalError?.(error, 'control socket reply'));
    });
  };

  const answer = async (ws: WebSocket, data: RawData, isBinary: boolean) => {
    const reply = await replyTo(data, isBinary);
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(reply));
  };

  const replyTo = async (data: RawData, isBinary: boolean): Promise<ControlReply> => {
    if (isBinary) return { id: null, ...failure('BAD_MESSAGE', 'control messages are JSON text frames') };
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return { id: null, ...failure('BAD_MESSAGE', 'not JSON') };
    }
    const envelope = controlRequestSchema.safeParse(message);
    if (!envelope.success) return { id: idOf(message), ...failure('BAD_MESSAGE', 'expected { id, channel, request }') };
    const { id, channel, request } = envelope.data;
    return { id, ...(await dispatch(orchestrator, channel, request, options)) };
  };

  const stopPushes = orchestrator.onPush((push) => {
    const checked = checkPush(push, options);
    if (!checked) return;
    const frame = JSON.stringify({ push: checked.channel, payload: checked.payload } satisfies ControlPush);
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(frame);
  });

  server.on('upgrade', onUpgrade);
  return {
    close: () => {
      stopPushes();
      server.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.close(1001, 'host stopping');
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}

type Refusal = [status: number, reason: string];

function refusalOf(request: IncomingMessage, secret: string, origin: string): Refusal | undefined {
  if (new URL(request.url ?? '/', 'http://127.0.0.1').pathname !== CONTROL_PATH) return [404, 'Not Found'];
  // Checked before the secret: a foreign page learns nothing by guessing.
  if (request.headers.origin !== origin) return [403, 'Forbidden'];
  const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((token) => token.trim());
  const presented = offered.find((token) => token.startsWith(SECRET_PROTOCOL_PREFIX));
  if (!offered.includes(CONTROL_PROTOCOL) || presented === undefined) return [401, 'Unauthorized'];
  if (!sameSecret(presented.slice(SECRET_PROTOCOL_PREFIX.length), secret)) return [401, 'Unauthorized'];
  return undefined;
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes before comparing. */
function sameSecret(presented: string, secret: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(secret));
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** A broken envelope's id, if it has a usable one, so the client can still match the error. */
function idOf(message: unknown): RequestId | null {
  const id = requestIdSchema.safeParse((message as { id?: unknown } | null)?.id);
  return id.success ? id.data : null;
}

function ignore(): void {}
