import { assign, enqueueActions, fromCallback, fromPromise, sendTo, setup, type ActorRef, type EventObject, type Snapshot } from 'xstate';
import { notProvided } from './not-provided.ts';

/**
 * One federation connection (DESIGN.md §4), for the side that dials and the side that accepted:
 *
 *   dialer:   connecting → handshaking ─┬─ known contact ────────────▶ up (syncing ⇄ idle)
 *   acceptor:              handshaking ─┴─ stranger → pairing ──done──▶ up
 *   the link closes ─▶ dialer: backingOff ──backoff──▶ connecting    acceptor: closed
 *   connection.close / pairing fails / sync fails ─▶ closing (goodbye) ─▶ as above
 *
 * The `link` actor (actors/net/secure-connection-link.ts) is the socket and its secure channel; it
 * lives as long as `linked`, so leaving that state for any reason closes the socket. `pair`
 * (exchanging identities with a one-time token on first contact) and `sync` (a CHUM session) come
 * from their own subsystems through `.provide()`; both get the session the link established.
 *
 * A dialer only stops redialing when told to (`connection.close`) or when pairing failed (a
 * one-time token cannot be tried again). Its delay grows exponentially with jitter up to a cap, so
 * contacts that come back find each other quickly and a dead one costs little.
 */

export type Role = 'dialer' | 'acceptor';

export interface PeerIds {
  readonly personId: string;
  readonly instanceId: string;
}

/**
 * Why a link ended: the link's own codes (a ChannelError code, GOODBYE, LOCAL, CONNECT_FAILED: see
 * actors/net/secure-connection.ts), or this chart's: PAIRING_FAILED, SYNC_FAILED, LINK_FAILED.
 */
export interface CloseReason {
  readonly code: string;
  readonly message: string;
}

/** What pairing and CHUM talk over: data messages on the secure channel (a SecureConnection). */
export interface PeerSession {
  send(body: Uint8Array): void;
  on(type: 'data', listener: (body: Uint8Array) => void): () => void;
}

export type LinkInput = { readonly role: 'dialer'; readonly url: string } | { readonly role: 'acceptor'; readonly socket: unknown };

/** What the `link` actor sends back. */
export type LinkEvent =
  | { type: 'link.opened' }
  | { type: 'link.established'; peer: PeerIds; contact: boolean; session: PeerSession }
  | { type: 'link.closed'; reason: CloseReason };

/** What the connection tells its `link` actor: say goodbye with this reason and close. */
export interface LinkCommand {
  type: 'link.close';
  reason: string;
}

export interface SessionInput {
  readonly session: PeerSession;
  readonly peer: PeerIds;
  readonly role: Role;
  /** The dialer's one-time pairing token, when it dials to pair. */
  readonly token?: string;
}

/**
 * What the `sync` actor (CHUM) sends back: caught up with the peer, behind again, or failed (a
 * callback actor cannot throw once started, so a failure after the start is an event).
 */
export type SyncEvent = { type: 'sync.caughtUp' } | { type: 'sync.behind' } | { type: 'sync.failed'; message: string };

/**
 * Status for the host (`status:federationConnected`) and the listener: emitted, and sent to
 * `reportTo` when there is one. `id` is this actor's id.
 */
export type ConnectionStatus =
  /** The secure channel is open (the handshake is over): the listener stops counting it as a handshake. */
  | { type: 'connection.established'; id: string; peer: PeerIds; contact: boolean }
  /** Paired and syncing. */
  | { type: 'connection.up'; id: string; peer: PeerIds; role: Role }
  /** The link ended; `redial` says whether this dialer will try again. */
  | { type: 'connection.down'; id: string; peer: PeerIds | undefined; reason: CloseReason; redial: boolean };

export type ConnectionInput =
  | { role: 'dialer'; url: string; token?: string; reportTo?: ActorRef<Snapshot<unknown>, ConnectionStatus> }
  | { role: 'acceptor'; socket: unknown; reportTo?: ActorRef<Snapshot<unknown>, ConnectionStatus> };

export type ConnectionEvent = LinkEvent | SyncEvent | { type: 'connection.close'; reason?: string };

export interface ConnectionContext {
  role: Role;
  url: string | undefined;
  /** The accepted socket, opaque here: only the link actor knows what it is. */
  socket: unknown;
  token: string | undefined;
  reportTo: ActorRef<Snapshot<unknown>, ConnectionStatus> | undefined;
  peer: PeerIds | undefined;
  session: PeerSession | undefined;
  /** Redials since the link was last up. */
  attempt: number;
  /** The delay of the current backoff, chosen on entering it. */
  backoffMs: number;
  redial: boolean;
  reason: CloseReason | undefined;
}

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 30_000;
/** How long `closing` waits for the link to confirm before leaving anyway (the link then cuts the socket). */
export const CLOSE_GRACE_MS = 2_000;

/**
 * The delay before redial `attempt` (1, 2, …): base · 2^(attempt−1), capped, of which a random half
 * (`random` in [0, 1)) is taken off — "equal jitter", so devices that lost the same peer at once do
 * not all redial in step, yet none waits less than half the nominal delay.
 */
export function backoffDelay(attempt: number, random: number): number {
  const nominal = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1), BACKOFF_MAX_MS);
  return Math.round(nominal / 2 + (random * nominal) / 2);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type StatusWithoutId = ConnectionStatus extends infer S ? (S extends ConnectionStatus ? Omit<S, 'id'> : never) : never;

export const connectionMachine = setup({
  types: {} as {
    input: ConnectionInput;
    context: ConnectionContext;
    events: ConnectionEvent;
    emitted: ConnectionStatus;
  },
  actors: {
    link: fromCallback<LinkCommand, LinkInput>(notProvided('link')),
    pair: fromPromise<void, SessionInput>(notProvided('pair')),
    /** Sends back SyncEvents; runs as long as the connection is up. */
    sync: fromCallback<EventObject, SessionInput>(notProvided('sync')),
  },
  actions: {
    keepLink: assign((_, link: { peer: PeerIds; session: PeerSession }) => ({ peer: link.peer, session: link.session })),
    forgetLink: assign({ peer: undefined, session: undefined }),
    keepReason: assign({ reason: (_, reason: CloseReason) => reason }),
    stopRedialing: assign({ redial: false }),
    // The jitter is drawn here, once per backoff, so the context shows the delay being waited out.
    scheduleRedial: assign(({ context }) => ({ attempt: context.attempt + 1, backoffMs: backoffDelay(context.attempt + 1, Math.random()) })),
    resetAttempts: assign({ attempt: 0 }),
    closeLink: sendTo('link', ({ context }) => ({ type: 'link.close' as const, reason: context.reason?.message ?? 'closed' })),
    announce: enqueueActions(({ context, enqueue, self }, status: StatusWithoutId) => {
      const withId = { ...status, id: self.id } as ConnectionStatus;
      enqueue.emit(withId);
      if (context.reportTo) enqueue.sendTo(context.reportTo, withId);
    }),
  },
  guards: {
    isDialer: ({ context }) => context.role === 'dialer',
    isKnownContact: (_, params: { contact: boolean }) => params.contact,
    willRedial: ({ context }) => context.role === 'dialer' && context.redial,
  },
  delays: {
    backoff: ({ context }) => context.backoffMs,
    closeGrace: CLOSE_GRACE_MS,
  },
}).createMachine({
  id: 'connection',
  context: ({ input }) => ({
    role: input.role,
    url: input.role === 'dialer' ? input.url : undefined,
    socket: input.role === 'acceptor' ? input.socket : undefined,
    token: input.role === 'dialer' ? input.token : undefined,
    reportTo: input.reportTo,
    peer: undefined,
    session: undefined,
    attempt: 0,
    backoffMs: 0,
    redial: input.role === 'dialer',
    reason: undefined,
  }),
  initial: 'starting',
  states: {
    starting: {
      always: [{ guard: 'isDialer', target: 'linked.connecting' }, { target: 'linked.handshaking' }],
    },
    linked: {
      invoke: {
        id: 'link',
        src: 'link',
        input: ({ context }): LinkInput => (context.role === 'dialer' ? { role: 'dialer', url: context.url! } : { role: 'acceptor', socket: context.socket }),
        onError: { target: 'lost', actions: { type: 'keepReason', params: ({ event }) => ({ code: 'LINK_FAILED', message: errorMessage(event.error) }) } },
      },
      on: {
        'link.closed': { target: 'lost', actions: { type: 'keepReason', params: ({ event }) => event.reason } },
        'connection.close': {
          target: '.closing',
          actions: ['stopRedialing', { type: 'keepReason', params: ({ event }) => ({ code: 'LOCAL', message: event.reason ?? 'closed' }) }],
        },
      },
      initial: 'connecting',
      states: {
        connecting: {
          on: { 'link.opened': 'handshaking' },
        },
        handshaking: {
          on: {
            'link.established': [
              {
                guard: { type: 'isKnownContact', params: ({ event }) => ({ contact: event.contact }) },
                target: 'up',
                actions: [{ type: 'keepLink', params: ({ event }) => event }, { type: 'announce', params: ({ event }) => ({ type: 'connection.established' as const, peer: event.peer, contact: true }) }],
              },
              {
                target: 'pairing',
                actions: [{ type: 'keepLink', params: ({ event }) => event }, { type: 'announce', params: ({ event }) => ({ type: 'connection.established' as const, peer: event.peer, contact: false }) }],
              },
            ],
          },
        },
        pairing: {
          invoke: {
            src: 'pair',
            input: ({ context }) => sessionInput(context),
            onDone: 'up',
            onError: {
              target: 'closing',
              actions: ['stopRedialing', { type: 'keepReason', params: ({ event }) => ({ code: 'PAIRING_FAILED', message: errorMessage(event.error) }) }],
            },
          },
        },
        up: {
          entry: ['resetAttempts', { type: 'announce', params: ({ context }) => ({ type: 'connection.up' as const, peer: context.peer!, role: context.role }) }],
          invoke: {
            src: 'sync',
            input: ({ context }) => sessionInput(context),
            onError: { target: 'closing', actions: { type: 'keepReason', params: ({ event }) => ({ code: 'SYNC_FAILED', message: errorMessage(event.error) }) } },
          },
          on: {
            'sync.failed': { target: 'closing', actions: { type: 'keepReason', params: ({ event }) => ({ code: 'SYNC_FAILED', message: event.message }) } },
          },
          initial: 'syncing',
          states: {
            syncing: { on: { 'sync.caughtUp': 'idle' } },
            idle: { on: { 'sync.behind': 'syncing' } },
          },
        },
        /** Saying goodbye: the link confirms with `link.closed`; the cause already in `reason` stays. */
        closing: {
          entry: 'closeLink',
          on: {
            'link.closed': '#connection.lost',
            'connection.close': { actions: 'stopRedialing' },
          },
          after: { closeGrace: '#connection.lost' },
        },
      },
    },
    /** The link is gone: announce it, then redial or stop. */
    lost: {
      entry: {
        type: 'announce',
        params: ({ context }) => ({
          type: 'connection.down' as const,
          peer: context.peer,
          reason: context.reason ?? { code: 'CLOSED', message: 'closed' },
          redial: context.role === 'dialer' && context.redial,
        }),
      },
      always: [{ guard: 'willRedial', target: 'backingOff' }, { target: 'closed' }],
    },
    backingOff: {
      entry: ['forgetLink', 'scheduleRedial'],
      after: { backoff: 'linked.connecting' },
      on: { 'connection.close': { target: 'closed', actions: 'stopRedialing' } },
    },
    closed: { type: 'final' },
  },
});

function sessionInput(context: ConnectionContext): SessionInput {
  return { session: context.session!, peer: context.peer!, role: context.role, ...(context.token === undefined ? {} : { token: context.token }) };
}
