import { WebSocket } from 'ws';
import type { FramePort } from './frame-port.ts';
import { MAX_SOCKET_MESSAGE_BYTES, WebSocketPort } from './ws-port.ts';

/** How long a dial may wait for the server's HTTP upgrade answer. */
export const DIAL_TIMEOUT_MS = 10_000;

export interface DialOptions {
  /**
   * The Origin header to send. A Node device sends none (it is a native peer, not a web page);
   * tests set one to play a page from that origin.
   */
  readonly origin?: string;
}

/** Dials a federation listener from Node with `ws`; the port starts connecting. */
export function connectWebSocket(url: string, options: DialOptions = {}): FramePort {
  const socket = new WebSocket(url, {
    maxPayload: MAX_SOCKET_MESSAGE_BYTES,
    perMessageDeflate: false,
    handshakeTimeout: DIAL_TIMEOUT_MS,
    followRedirects: false,
    ...(options.origin === undefined ? {} : { origin: options.origin }),
  });
  socket.binaryType = 'nodebuffer';
  return new WebSocketPort(socket);
}
