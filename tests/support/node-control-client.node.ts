import { WebSocket } from 'ws';
import { connectControl, type ControlClient, type WebSocketConstructor } from '../../hosts/ipc/control-client.ts';

/**
 * A control-socket client for Node tests and tools: `ws` with the Origin a browser on the host's
 * page would send (Node 20 has no global WebSocket, and `ws` sends no Origin by itself).
 */
export function connectAsPage(url: string): Promise<ControlClient> {
  const { origin, hash } = new URL(url);
  const secret = new URLSearchParams(hash.slice(1)).get('secret') ?? '';
  const PageSocket = class extends WebSocket {
    constructor(address: string, protocols: string[]) {
      super(address, protocols, { origin });
    }
  } as unknown as WebSocketConstructor;
  return connectControl({ url: `${origin.replace('http', 'ws')}/control`, secret, WebSocket: PageSocket });
}
