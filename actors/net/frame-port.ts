/**
 * The network adapter interface (STYLE.md §4.2): a duplex of binary messages between this process
 * and one peer. Adapters only move bytes — the secure channel (handshake, frames, goodbye) lives
 * above them in secure-connection.ts, so the same protocol stack runs over a WebSocket, Node's or
 * the browser's, and over an in-process pair in tests. Every adapter passes frame-port-tests.ts.
 *
 * Contract:
 * - `state` goes connecting → open → closing → closed (an accepted socket starts open), never back.
 * - `open` is emitted once, when a connecting port can send.
 * - `message` carries one binary message, in order, as a buffer the receiver owns: the adapter never
 *   reuses it. Messages that arrive while nobody listens for them are held until a listener is
 *   added, so handing a fresh socket from the server to its connection loses nothing.
 * - `error` reports a transport failure; `close` always follows it.
 * - `close` is emitted exactly once, last; a listener added after it is called at once (async).
 * - `send` on a port that is not open drops the message: after a close there is nobody to tell.
 *   The port may keep a reference to the bytes until they are written, so do not reuse them.
 * - `close(code, reason)` is idempotent; both ends see the closer's code and reason. A peer that
 *   sends text instead of binary is closed with BINARY_ONLY.
 */
export type FramePortState = 'connecting' | 'open' | 'closing' | 'closed';

export interface FramePortClose {
  readonly code: number;
  readonly reason: string;
}

export interface FramePortEvents {
  open: () => void;
  message: (bytes: Uint8Array) => void;
  error: (error: Error) => void;
  close: (close: FramePortClose) => void;
}

export interface FramePort {
  readonly state: FramePortState;
  /** Adds a listener; returns its removal. */
  on<K extends keyof FramePortEvents>(type: K, listener: FramePortEvents[K]): () => void;
  send(bytes: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/**
 * Close codes on the wire (specs/handshake.md "Sockets"). Application codes sit in 4000–4999, the
 * only range besides 1000 that a browser page may send, so both ends can use every one of them.
 */
export const CLOSE_CODE = {
  /** A goodbye was said, either way: the peer closed on purpose. */
  normal: 1000,
  /** Reported locally when the connection dropped without a close frame; never sent. */
  abnormal: 1006,
  /** Sent by the WebSocket server for a message over its size limit. */
  messageTooBig: 1009,
  /** The secure channel failed; the reason starts with its ChannelError code. */
  channelError: 4000,
  /** The listener (or the app) is stopping. */
  goingAway: 4001,
  /** Too many connections in handshake: try again later. */
  overCapacity: 4002,
  /** The peer sent a text message; LAMA/1 speaks binary only. */
  binaryOnly: 4003,
} as const;

/** RFC 6455 §5.5: a close frame's payload is at most 125 bytes, 2 of them the code. */
export const MAX_CLOSE_REASON_BYTES = 123;

/** `reason` cut to fit a close frame, without splitting a character (WebSocket APIs throw on longer ones). */
export function fitCloseReason(reason: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(reason).length <= MAX_CLOSE_REASON_BYTES) return reason;
  let fitted = '';
  let bytes = 0;
  for (const character of reason) {
    const size = encoder.encode(character).length;
    if (bytes + size > MAX_CLOSE_REASON_BYTES - 3) break; // room for the ellipsis (3 bytes)
    fitted += character;
    bytes += size;
  }
  return `${fitted}…`;
}
