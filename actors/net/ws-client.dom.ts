import type { FramePort } from './frame-port.ts';
import { WebSocketPort } from './ws-port.ts';

/**
 * Dials a federation listener from a page with the browser's own WebSocket; the port starts
 * connecting. The browser writes the page's Origin itself, which is what lets the listener refuse
 * pages other than the host's own UI.
 */
export function connectWebSocket(url: string): FramePort {
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  return new WebSocketPort(socket);
}
