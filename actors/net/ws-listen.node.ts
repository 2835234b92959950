import { fromCallback } from 'xstate';
import type { ListenCommand, ListenInput } from '../../machines/federation-listener.ts';
import { CLOSE_CODE, type FramePort } from './frame-port.ts';
import { ListenError, listenWebSocket, type WebSocketListenOptions, type WebSocketListener } from './ws-server.node.ts';

/**
 * The federation listener's `listen` actor: a WebSocket listener (ws-server.node.ts) on the port
 * the machine asks for, each accepted socket sent back as a FramePort. Refused sockets are closed
 * with OVER_CAPACITY; stopping the actor closes the server and every socket still on it.
 */
export function wsListen(options: Omit<WebSocketListenOptions, 'port' | 'onSocket'>) {
  return fromCallback<ListenCommand, ListenInput>(({ input, sendBack, receive }) => {
    let listener: WebSocketListener | undefined;
    let stopped = false;
    listenWebSocket({ ...options, port: input.port, onSocket: (socket) => sendBack({ type: 'listener.accepted', socket }) }).then(
      (bound) => {
        if (stopped) return void bound.close();
        listener = bound;
        sendBack({ type: 'listener.bound', port: bound.port });
      },
      (error: unknown) => {
        if (stopped) return;
        const code = error instanceof ListenError ? error.code : 'LISTEN_FAILED';
        sendBack({ type: 'listener.failed', reason: { code, message: error instanceof Error ? error.message : String(error) } });
      },
    );
    receive((command) => (command.socket as FramePort).close(CLOSE_CODE.overCapacity, command.reason));
    return () => {
      stopped = true;
      void listener?.close();
    };
  });
}
