import { assign, enqueueActions, fromCallback, sendTo, setup } from 'xstate';
import { notProvided } from './not-provided.ts';

/**
 * One CHUM session over one connection (specs/chum.md §10), as its host sees it:
 *
 *   active ─┬─ session: greeting ──chum.greeted──▶ syncing ──chum.synced──▶ live
 *           └─ progress: quiet ──chum.progress──▶ holding ──progressInterval──▶ quiet (or holding again)
 *   active ──chum.closed / session.close──▶ closed      active ──chum.failed──▶ failed
 *
 * The protocol runs in the invoked `engine` (actors/chum, supplied with `.provide()` per
 * connection); it reports `chum.*` events and takes `chum.fetch`. Leaving `active` stops it, which
 * ends the session and closes its port. Progress is announced (`status.syncProgress`, for the
 * host's `status:syncProgress` push) at most once per `progressInterval`: the first change at
 * once, later ones gathered and announced when the interval ends, and the last one when the
 * session ends — so the UI never lags by more than one interval and never sees more than 10 a second.
 */
export interface SyncProgress {
  readonly objectsDone: number;
  readonly objectsTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

export interface ChumFailure {
  readonly code: string;
  readonly message: string;
}

/** What the engine reports. */
export type ChumEngineEvent =
  | { type: 'chum.greeted' }
  | { type: 'chum.synced' }
  | { type: 'chum.progress'; progress: SyncProgress }
  | { type: 'chum.closed'; reason: string }
  | { type: 'chum.failed'; error: ChumFailure };

/** What the engine is told: fetch now what the user is looking at. */
export interface ChumFetch {
  type: 'chum.fetch';
  hashes: string[];
  kind: 'object' | 'blob';
}

export type ChumSessionEvent = ChumEngineEvent | ChumFetch | { type: 'session.close' };

export type ChumSessionEmitted = { type: 'status.syncProgress'; peer: string } & SyncProgress;

export interface ChumSessionInput {
  /** Names the peer in progress reports (its Instance id). */
  readonly peer: string;
}

export interface ChumSessionOutput {
  readonly outcome: 'closed' | 'failed';
  readonly reason?: string;
  readonly error?: ChumFailure;
}

interface Context {
  peer: string;
  progress: SyncProgress;
  /** Progress changed since it was last announced. */
  pending: boolean;
  reason?: string;
  error?: ChumFailure;
}

/** Ten announcements a second at most. */
export const PROGRESS_INTERVAL_MS = 100;

const NO_PROGRESS: SyncProgress = { objectsDone: 0, objectsTotal: 0, bytesDone: 0, bytesTotal: 0 };

export const chumSessionMachine = setup({
  types: {} as { input: ChumSessionInput; context: Context; events: ChumSessionEvent; emitted: ChumSessionEmitted; output: ChumSessionOutput },
  actors: {
    engine: fromCallback<ChumFetch, ChumSessionInput>(notProvided('chumEngine')),
  },
  actions: {
    keepProgress: assign({ progress: (_, progress: SyncProgress) => progress, pending: true }),
    /** Announces the progress if it changed since the last announcement. */
    announceProgress: enqueueActions(({ context, enqueue }) => {
      if (!context.pending) return;
      enqueue.emit({ type: 'status.syncProgress', peer: context.peer, ...context.progress });
      enqueue.assign({ pending: false });
    }),
    keepReason: assign({ reason: (_, reason: string) => reason }),
    keepError: assign({ error: (_, error: ChumFailure) => error, reason: (_, error: ChumFailure) => `${error.code}: ${error.message}` }),
    forwardFetch: sendTo('engine', (_, fetch: ChumFetch) => fetch),
  },
  guards: {
    progressPending: ({ context }) => context.pending,
  },
  delays: {
    progressInterval: PROGRESS_INTERVAL_MS,
  },
}).createMachine({
  id: 'chumSession',
  context: ({ input }) => ({ peer: input.peer, progress: NO_PROGRESS, pending: false }),
  initial: 'active',
  states: {
    active: {
      type: 'parallel',
      invoke: { id: 'engine', src: 'engine', input: ({ context }) => ({ peer: context.peer }) },
      on: {
        'chum.closed': { target: 'closed', actions: { type: 'keepReason', params: ({ event }) => event.reason } },
        'chum.failed': { target: 'failed', actions: { type: 'keepError', params: ({ event }) => event.error } },
        'session.close': { target: 'closed', actions: { type: 'keepReason', params: 'closed by this side' } },
        'chum.fetch': { actions: { type: 'forwardFetch', params: ({ event }) => event } },
      },
      states: {
        session: {
          initial: 'greeting',
          states: {
            greeting: { on: { 'chum.greeted': 'syncing' } },
            syncing: { on: { 'chum.synced': 'live' } },
            live: {},
          },
        },
        progress: {
          initial: 'quiet',
          states: {
            quiet: {
              on: { 'chum.progress': { target: 'holding', actions: [{ type: 'keepProgress', params: ({ event }) => event.progress }, 'announceProgress'] } },
            },
            holding: {
              after: {
                progressInterval: [{ guard: 'progressPending', target: 'holding', reenter: true, actions: 'announceProgress' }, { target: 'quiet' }],
              },
              on: { 'chum.progress': { actions: { type: 'keepProgress', params: ({ event }) => event.progress } } },
            },
          },
        },
      },
    },
    closed: { type: 'final', entry: 'announceProgress' },
    failed: { type: 'final', entry: 'announceProgress' },
  },
  output: ({ context }) => ({
    outcome: context.error ? 'failed' : 'closed',
    ...(context.reason !== undefined ? { reason: context.reason } : {}),
    ...(context.error ? { error: context.error } : {}),
  }),
});

