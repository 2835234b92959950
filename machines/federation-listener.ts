import { assign, enqueueActions, fromCallback, setup } from 'xstate';
import { connectionMachine, type CloseReason, type ConnectionStatus } from './connection.ts';
import { notProvided } from './not-provided.ts';

/**
 * The federation listener (DESIGN.md §4; specs/handshake.md "Sockets"):
 *
 *   running ─┬─ starting ──listener.bound──▶ listening
 *            └─ listener.failed (port in use …) ─▶ failed
 *   listener.stop ─▶ stopped
 *
 * The `listen` actor owns the server socket (actors/net/ws-listen.node.ts): it binds, sends back
 * every accepted socket, and closes the server when stopped. While listening, each socket becomes
 * one `connection` child (machines/connection.ts, as acceptor) with its own id, reporting back here;
 * leaving `listening` stops them all, which closes their sockets.
 *
 * Load shedding: a socket that arrives while `maxHandshaking` connections are still in handshake is
 * refused at once (the listen actor closes it with OVER_CAPACITY). Each of those has the handshake
 * timeout, so a flood of clients that connect and stall holds at most that many slots for that
 * long, while established connections are never counted against newcomers.
 */

export const DEFAULT_MAX_HANDSHAKING = 16;

export interface ListenInput {
  readonly port: number;
}

/** What the `listen` actor sends back. */
export type ListenEvent =
  | { type: 'listener.bound'; port: number }
  /** Could not bind, or the server failed: `reason.code` is e.g. PORT_IN_USE, and the message names the port. */
  | { type: 'listener.failed'; reason: CloseReason }
  | { type: 'listener.accepted'; socket: unknown };

/** What the listener tells its `listen` actor: close this socket unserved. */
export interface ListenCommand {
  type: 'listener.refuse';
  socket: unknown;
  reason: string;
}

export interface ListenerInput {
  /** 8765 for the app; 0 lets the system choose (tests). */
  readonly port: number;
  readonly maxHandshaking?: number;
}

export type ListenerEvent = ListenEvent | ConnectionStatus | { type: 'listener.stop' };

/** The connections' up/down, relayed so the host listens to one actor for `status:federationConnected`. */
export type ListenerEmitted = { type: 'federation.listening'; port: number } | Extract<ConnectionStatus, { type: 'connection.up' | 'connection.down' }>;

export interface ListenerContext {
  requestedPort: number;
  port: number | undefined;
  maxHandshaking: number;
  /** Live connection children by id, and whether each is still in handshake. */
  connections: Record<string, 'handshaking' | 'established'>;
  /** Sockets accepted (also numbers the children's ids) and refused, since start. */
  accepted: number;
  refused: number;
  reason: CloseReason | undefined;
}

export function handshakingCount(context: ListenerContext): number {
  return Object.values(context.connections).filter((phase) => phase === 'handshaking').length;
}

export const federationListenerMachine = setup({
  types: {} as {
    input: ListenerInput;
    context: ListenerContext;
    events: ListenerEvent;
    emitted: ListenerEmitted;
  },
  actors: {
    listen: fromCallback<ListenCommand, ListenInput>(notProvided('listen')),
    connection: connectionMachine,
  },
  actions: {
    keepPort: assign({ port: (_, port: number) => port }),
    announceListening: enqueueActions(({ context, enqueue }) => enqueue.emit({ type: 'federation.listening', port: context.port! })),
    keepReason: assign({ reason: (_, reason: CloseReason) => reason }),
    spawnConnection: enqueueActions(({ context, event, enqueue, self }) => {
      if (event.type !== 'listener.accepted') return;
      const id = `connection-${context.accepted + 1}`;
      enqueue.spawnChild('connection', { id, input: { role: 'acceptor', socket: event.socket, reportTo: self } });
      enqueue.assign({ accepted: context.accepted + 1, connections: { ...context.connections, [id]: 'handshaking' } });
    }),
    refuseSocket: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'listener.accepted') return;
      enqueue.sendTo('listen', { type: 'listener.refuse', socket: event.socket, reason: `${context.maxHandshaking} connections are in handshake: try again later` });
      enqueue.assign({ refused: context.refused + 1 });
    }),
    markEstablished: assign(({ context }, id: string) => (id in context.connections ? { connections: { ...context.connections, [id]: 'established' as const } } : {})),
    relay: enqueueActions(({ event, enqueue }) => {
      if (event.type === 'connection.up' || event.type === 'connection.down') enqueue.emit(event);
    }),
    forgetConnection: enqueueActions(({ context, enqueue }, id: string) => {
      if (!(id in context.connections)) return;
      const { [id]: _gone, ...rest } = context.connections;
      enqueue.stopChild(id);
      enqueue.assign({ connections: rest });
    }),
    stopConnections: enqueueActions(({ context, enqueue }) => {
      for (const id of Object.keys(context.connections)) enqueue.stopChild(id);
      enqueue.assign({ connections: {} });
    }),
  },
  guards: {
    tooManyHandshakes: ({ context }) => handshakingCount(context) >= context.maxHandshaking,
  },
}).createMachine({
  id: 'federationListener',
  output: ({ context }) => ({ reason: context.reason }),
  context: ({ input }) => ({
    requestedPort: input.port,
    port: undefined,
    maxHandshaking: input.maxHandshaking ?? DEFAULT_MAX_HANDSHAKING,
    connections: {},
    accepted: 0,
    refused: 0,
    reason: undefined,
  }),
  initial: 'running',
  states: {
    running: {
      invoke: {
        id: 'listen',
        src: 'listen',
        input: ({ context }) => ({ port: context.requestedPort }),
        onError: { target: 'failed', actions: { type: 'keepReason', params: ({ event }) => ({ code: 'LISTEN_FAILED', message: event.error instanceof Error ? event.error.message : String(event.error) }) } },
      },
      on: {
        'listener.failed': { target: 'failed', actions: { type: 'keepReason', params: ({ event }) => event.reason } },
        'listener.stop': 'stopped',
      },
      initial: 'starting',
      states: {
        starting: {
          on: { 'listener.bound': { target: 'listening', actions: [{ type: 'keepPort', params: ({ event }) => event.port }, 'announceListening'] } },
        },
        listening: {
          on: {
            'listener.accepted': [{ guard: 'tooManyHandshakes', actions: 'refuseSocket' }, { actions: 'spawnConnection' }],
            'connection.established': { actions: { type: 'markEstablished', params: ({ event }) => event.id } },
            'connection.up': { actions: 'relay' },
            // An accepted connection never redials: down is its end.
            'connection.down': { actions: ['relay', { type: 'forgetConnection', params: ({ event }) => event.id }] },
          },
          exit: 'stopConnections',
        },
      },
    },
    /** The reason goes out as the output, so a supervisor can say why the listener stopped. */
    failed: { type: 'final' },
    stopped: { type: 'final' },
  },
});

