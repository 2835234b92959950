import { assign, fromPromise, setup, type AnyActorLogic } from 'xstate';
import { notProvided } from './not-provided.ts';
import { SYSTEM_ID } from './system-ids.ts';

/**
 * The browser instance's own session (DESIGN.md §1, §4): its store opens; its user (a different
 * Person from the Node's) is created or unlocked with the passphrase the person typed; then it
 * federates with the Node instance — pairing once with an invitation the host hands over by IPC,
 * as a known contact on every later launch — and the connection actor (machines/connection.ts,
 * systemId `federation`) keeps that link up and syncing.
 */
export interface BrowserUser {
  readonly personId: string;
  readonly instanceId: string;
}

/** Where the Node instance listens, and whether this browser is already its contact. */
export interface FederationTarget {
  readonly url: string;
  /** A pairing token (an invitation) when not yet a contact; absent for a known contact. */
  readonly token?: string;
}

interface Context {
  user?: BrowserUser;
  /** Whether the connection to the Node is up (paired and syncing), as it reports itself. */
  linkUp: boolean;
  target?: FederationTarget;
  error?: { code: string; message: string };
}

type Events =
  | { type: 'user.unlock'; name: string; passphrase: string }
  // What the connection child reports to its `reportTo` (machines/connection.ts).
  | { type: 'connection.established' }
  | { type: 'connection.up' }
  | { type: 'connection.down'; reason?: { code: string; message: string } };

function toError(error: unknown): { code: string; message: string } {
  const coded = error as { code?: unknown; message?: unknown } | undefined;
  return { code: typeof coded?.code === 'string' ? coded.code : 'ERROR', message: typeof coded?.message === 'string' ? coded.message : String(error) };
}

export const browserSessionMachine = setup({
  types: {} as { context: Context; events: Events },
  actors: {
    openStore: fromPromise<{ hasUser: boolean }>(notProvided('openStore')),
    /** Creates the browser's user on first launch, else unlocks it; WRONG_PASSPHRASE when it does not fit. */
    unlockUser: fromPromise<BrowserUser, { name: string; passphrase: string; create: boolean }>(notProvided('unlockUser')),
    /** The Node's federation URL, with an invitation from the host when this browser is not yet its contact. */
    findNode: fromPromise<FederationTarget>(notProvided('findNode')),
    connection: fromPromise(notProvided('connection')) as AnyActorLogic,
  },
  actions: {
    keepUser: assign({ user: (_, user: BrowserUser) => user, error: undefined }),
    keepTarget: assign({ target: (_, target: FederationTarget) => target, error: undefined }),
    keepError: assign({ error: (_, error: { code: string; message: string }) => error }),
    markUp: assign({ linkUp: true, error: undefined }),
    markDown: assign({ linkUp: false }),
  },
  delays: { retryFindNode: 2_000 },
}).createMachine({
  id: 'browserSession',
  context: { linkUp: false },
  initial: 'opening',
  states: {
    opening: {
      invoke: {
        src: 'openStore',
        onDone: [{ guard: ({ event }) => event.output.hasUser, target: 'locked' }, { target: 'new' }],
        onError: { target: 'failed', actions: { type: 'keepError', params: ({ event }) => toError(event.error) } },
      },
    },
    /** No browser user yet: onboarding's passphrase creates one. */
    new: { on: { 'user.unlock': 'creating' } },
    locked: { on: { 'user.unlock': 'unlocking' } },
    creating: {
      invoke: {
        src: 'unlockUser',
        input: ({ event }) => ({ ...(event as Extract<Events, { type: 'user.unlock' }>), create: true }),
        onDone: { target: 'findingNode', actions: { type: 'keepUser', params: ({ event }) => event.output } },
        onError: { target: 'new', actions: { type: 'keepError', params: ({ event }) => toError(event.error) } },
      },
    },
    unlocking: {
      invoke: {
        src: 'unlockUser',
        input: ({ event }) => ({ ...(event as Extract<Events, { type: 'user.unlock' }>), create: false }),
        onDone: { target: 'findingNode', actions: { type: 'keepUser', params: ({ event }) => event.output } },
        onError: { target: 'locked', actions: { type: 'keepError', params: ({ event }) => toError(event.error) } },
      },
    },
    /** The host may still be provisioning its own user: ask again until it can answer. */
    findingNode: {
      invoke: {
        src: 'findNode',
        onDone: { target: 'federating', actions: { type: 'keepTarget', params: ({ event }) => event.output } },
        onError: { target: 'waitingForNode', actions: { type: 'keepError', params: ({ event }) => toError(event.error) } },
      },
    },
    waitingForNode: { after: { retryFindNode: 'findingNode' } },
    federating: {
      invoke: {
        src: 'connection',
        id: 'federation',
        systemId: SYSTEM_ID.federation,
        // The connection reports up/down to this session (its `reportTo`), which the UI shows.
        input: ({ context, self }: { context: Context; self: unknown }) => ({ role: 'dialer', url: context.target!.url, token: context.target!.token, reportTo: self }),
        // A dialer gives up only when pairing failed (its invitation is spent): find the Node again.
        onDone: { target: 'waitingForNode', actions: { type: 'keepError', params: { code: 'FEDERATION_ENDED', message: 'the link to the Node instance ended; trying again' } } },
        onError: { target: 'waitingForNode', actions: { type: 'keepError', params: ({ event }) => toError(event.error) } },
      },
      on: {
        'connection.up': { actions: 'markUp' },
        'connection.down': { actions: ['markDown', { type: 'keepError', params: ({ event }) => event.reason ?? { code: 'LINK_LOST', message: 'the link to the Node instance dropped' } }] },
      },
      exit: 'markDown',
    },
    failed: { type: 'final' },
  },
});
