import { FramePortBase } from './frame-port-base.ts';
import { CLOSE_CODE } from './frame-port.ts';
import { LENGTH_PREFIX_BYTES } from './length-prefixed-reader.ts';
import { MAX_TRANSPORT_MESSAGE_BYTES } from './transport-frames.ts';

/**
 * A FramePort over a WebSocket: the browser's native one (ws-client.dom.ts) and the `ws` package's
 * (ws-server.node.ts, ws-client.node.ts) share the event-handler API used here, so one adapter
 * serves both runtimes and both ends.
 */

/**
 * The largest WebSocket message accepted: one whole secure-channel message, length prefix
 * included. The secure connection sends each wire message as one WebSocket message, so nothing
 * longer is legitimate, and `ws` refuses it (1009) before buffering it.
 */
export const MAX_SOCKET_MESSAGE_BYTES = LENGTH_PREFIX_BYTES + MAX_TRANSPORT_MESSAGE_BYTES;

/**
 * How long a closing socket waits for the peer's close frame before it is cut: a peer that never
 * answers must not hold its socket (ws's own wait is 30 s).
 */
export const CLOSE_GRACE_MS = 2_000;

const OPEN = 1;

/**
 * What both WebSocket implementations offer. Handlers take `never` because each implementation
 * passes its own event types; the adapter reads only the fields named below.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: drops the TCP connection at once. */
  terminate?(): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
}

export class WebSocketPort extends FramePortBase {
  readonly #socket: WebSocketLike;
  #grace: ReturnType<typeof setTimeout> | undefined;

  /** `socket` must deliver binary messages as ArrayBuffer or Buffer (binaryType 'arraybuffer' or 'nodebuffer'). */
  constructor(socket: WebSocketLike) {
    super(socket.readyState === OPEN ? 'open' : 'connecting');
    this.#socket = socket;
    socket.onopen = () => this.opened();
    socket.onmessage = (event: { data: unknown }) => this.#message(event.data);
    socket.onerror = (event: { error?: unknown; message?: string }) =>
      this.failed(event.error instanceof Error ? event.error : new Error(event.message || 'WebSocket error'));
    socket.onclose = (event: { code: number; reason: string }) => {
      clearTimeout(this.#grace);
      this.finished({ code: event.code, reason: event.reason });
    };
  }

  protected transmit(bytes: Uint8Array): void {
    this.#socket.send(bytes);
  }

  protected shutdown(code: number, reason: string): void {
    this.#socket.close(code, reason);
    const terminate = this.#socket.terminate?.bind(this.#socket);
    if (terminate) this.#grace = setTimeout(terminate, CLOSE_GRACE_MS);
  }

  #message(data: unknown): void {
    if (data instanceof ArrayBuffer) this.received(new Uint8Array(data));
    else if (ArrayBuffer.isView(data)) this.received(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    else this.close(CLOSE_CODE.binaryOnly, 'LAMA/1 speaks binary messages only');
  }
}
