/**
 * The Node control socket's wire format (specs/ipc.md §3), shared by the server
 * (hosts/node/control-socket.node.ts) and the client (control-client.ts).
 */
import { z } from 'zod';
import type { IpcError, PushChannel } from './channels.ts';

export const CONTROL_PATH = '/control';
/** The subprotocol the server selects; the client offers it beside its secret. */
export const CONTROL_PROTOCOL = 'lama-control.v1';
/**
 * The secret travels as a second offered subprotocol, `lama-secret.<base64url>`: browsers cannot
 * set headers on a WebSocket, and this way a wrong secret is refused at the upgrade, before any
 * socket exists. The server never echoes it back.
 */
export const SECRET_PROTOCOL_PREFIX = 'lama-secret.';
/** Requests are small; anything bigger is an attack or a bug, closed with 1009 before it is buffered. */
export const MAX_CONTROL_FRAME_BYTES = 1024 * 1024;

export const requestIdSchema = z.union([z.int().nonnegative(), z.string().min(1).max(64)]);
export type RequestId = z.output<typeof requestIdSchema>;

/** Client → server. */
export const controlRequestSchema = z.strictObject({ id: requestIdSchema, channel: z.string().max(200), request: z.unknown() });
export type ControlRequest = z.output<typeof controlRequestSchema>;

/** Server → client. `id` is null only when the request was too broken to carry one. */
export type ControlReply =
  | { id: RequestId; ok: true; response: unknown }
  | { id: RequestId | null; ok: false; error: IpcError };
export type ControlPush = { push: PushChannel; payload: unknown };
