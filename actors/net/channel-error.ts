/**
 * Every way a secure channel ends other than a goodbye, as one typed error (specs/handshake.md §6).
 * Each closes only the channel it happened on; the socket layer closes that one connection.
 */
export type ChannelErrorCode =
  | 'WRONG_KEY' // the peer's identity proof fails, a key is invalid, or authorize() refused the peer
  | 'TAMPERED' // a message does not authenticate where it stands, nor as a nearby frame of this stream
  | 'REPLAYED_OR_REORDERED' // an authentic frame of this stream arrived out of place: repeated, swapped, or after a lost frame
  | 'TRUNCATED' // the stream ended inside a message
  | 'OVERSIZED' // a length prefix over the limit for its phase (or a local body over the limit)
  | 'HANDSHAKE_TIMEOUT' // the handshake did not complete in time: a stalled peer
  | 'HEARTBEAT_TIMEOUT' // an open channel heard nothing from its peer for too long
  | 'PROTOCOL' // well-authenticated but not allowed: bad frame type or body, bytes before the peer's turn
  | 'CLOSED'; // the stream ended without a goodbye, or a call on a channel already closed

export class ChannelError extends Error {
  override readonly name = 'ChannelError';
  constructor(
    readonly code: ChannelErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isChannelError(error: unknown, code?: ChannelErrorCode): error is ChannelError {
  return error instanceof ChannelError && (code === undefined || error.code === code);
}
