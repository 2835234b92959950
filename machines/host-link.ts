import { assign, fromCallback, fromPromise, setup } from 'xstate';
import { notProvided } from './not-provided.ts';

/**
 * The renderer's link to the Node host's orchestration channels (the control socket, or Electron's
 * bridge): connecting → connected (syncing → idle ⇄ provisioning) → backingOff → connecting.
 * Its context is what the UI renders: the app's status and the provisioned Node user. Chat data
 * never passes here (DESIGN.md §4) — only orchestration.
 */
export interface AppStatus {
  readonly state: string;
  /** The provisioning machine's state: `awaitingUser` means onboarding creates a user, others unlock. */
  readonly provisioning?: string;
  readonly failures: readonly { readonly child: string; readonly reason: string }[];
}

export interface NodeUser {
  readonly personId: string;
  readonly instanceId: string;
  readonly name: string;
}

export interface LinkError {
  readonly code: string;
  readonly message: string;
}

interface Context {
  attempt: number;
  app?: AppStatus;
  user?: NodeUser | null;
  /** The last provisioning attempt's refusal, for the onboarding form to show. */
  provisionError?: LinkError;
  /** Why the link is down, while backing off. */
  linkError?: LinkError;
}

type Events =
  | { type: 'provision.submit'; name: string; passphrase: string }
  | { type: 'host.app'; app: AppStatus }
  | { type: 'host.provisioned'; user: NodeUser }
  | { type: 'link.lost'; reason: string };

export const LINK_BACKOFF_MS = [250, 500, 1_000, 2_000, 5_000] as const;

function toLinkError(error: unknown): LinkError {
  const coded = error as { code?: unknown; message?: unknown } | undefined;
  return {
    code: typeof coded?.code === 'string' ? coded.code : 'UNKNOWN',
    message: typeof coded?.message === 'string' ? coded.message : String(error),
  };
}

export const hostLinkMachine = setup({
  types: {} as { context: Context; events: Events },
  actors: {
    connect: fromPromise<void>(notProvided('connect')),
    /** Relays pushes as `host.*` events and reports a closed link as `link.lost`. */
    listen: fromCallback(notProvided('listen')),
    fetchStatus: fromPromise<{ app: AppStatus; user: NodeUser | null }>(notProvided('fetchStatus')),
    provision: fromPromise<NodeUser, { name: string; passphrase: string }>(notProvided('provision')),
  },
  actions: {
    countAttempt: assign({ attempt: ({ context }) => context.attempt + 1 }),
    resetAttempts: assign({ attempt: 0, linkError: undefined }),
    keepLinkError: assign({ linkError: (_, error: LinkError) => error }),
    keepStatus: assign((_, status: { app: AppStatus; user: NodeUser | null }) => ({ app: status.app, user: status.user })),
    keepApp: assign({ app: (_, app: AppStatus) => app }),
    keepUser: assign({ user: (_, user: NodeUser) => user, provisionError: undefined }),
    keepProvisionError: assign({ provisionError: (_, error: LinkError) => error }),
    clearProvisionError: assign({ provisionError: undefined }),
  },
  delays: {
    backoff: ({ context }) => LINK_BACKOFF_MS[Math.min(context.attempt, LINK_BACKOFF_MS.length) - 1] ?? LINK_BACKOFF_MS[0],
  },
}).createMachine({
  id: 'hostLink',
  context: { attempt: 0 },
  initial: 'connecting',
  states: {
    connecting: {
      invoke: {
        src: 'connect',
        onDone: { target: 'connected', actions: 'resetAttempts' },
        onError: { target: 'backingOff', actions: { type: 'keepLinkError', params: ({ event }) => toLinkError(event.error) } },
      },
    },
    connected: {
      invoke: { src: 'listen' },
      initial: 'syncing',
      states: {
        /** Reads the current status first: a reconnecting renderer must not wait for the next push. */
        syncing: {
          invoke: {
            src: 'fetchStatus',
            onDone: { target: 'idle', actions: { type: 'keepStatus', params: ({ event }) => event.output } },
            onError: { target: 'idle', actions: { type: 'keepLinkError', params: ({ event }) => toLinkError(event.error) } },
          },
        },
        idle: {
          on: { 'provision.submit': { target: 'provisioning', actions: 'clearProvisionError' } },
        },
        provisioning: {
          invoke: {
            src: 'provision',
            input: ({ event }) => {
              const { name, passphrase } = event as Extract<Events, { type: 'provision.submit' }>;
              return { name, passphrase };
            },
            onDone: { target: 'idle', actions: { type: 'keepUser', params: ({ event }) => event.output } },
            onError: { target: 'idle', actions: { type: 'keepProvisionError', params: ({ event }) => toLinkError(event.error) } },
          },
        },
      },
      on: {
        'host.app': { actions: { type: 'keepApp', params: ({ event }) => event.app } },
        'host.provisioned': { actions: { type: 'keepUser', params: ({ event }) => event.user } },
        'link.lost': { target: 'backingOff', actions: { type: 'keepLinkError', params: ({ event }) => ({ code: 'LINK_LOST', message: event.reason }) } },
      },
    },
    backingOff: {
      entry: 'countAttempt',
      after: { backoff: 'connecting' },
    },
  },
});
