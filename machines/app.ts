import { assign, fromPromise, setup, type AnyActorLogic } from 'xstate';
import { notProvided } from './not-provided.ts';
import { provisioningMachine, type ProvisionedUser } from './provisioning.ts';
import { SYSTEM_ID } from './system-ids.ts';

/**
 * The root supervisor (DESIGN.md §1): starting (open the archive) → provisioning (the Node user)
 * → running (the subsystems, each in its own supervised region) → stopping (flush and close)
 * → stopped; or failed, with the reason. A child that crashes restarts after an exponential
 * backoff; after MAX_RESTARTS crashes without a stable run in between it stays down and its
 * failure shows in the status — the rest of the app keeps running.
 *
 * Supervision is drawn in the chart (STYLE.md §1.6): each child region is up → backingOff → up,
 * or → failed. Later subsystems (federation, IoM, AI) each add a region of the same shape.
 */
export const SUPERVISED_CHILDREN = ['workerPool'] as const;
export type SupervisedChild = (typeof SUPERVISED_CHILDREN)[number];

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 30_000;
/** Crashes in a row (no stable run between) after which a child stays down. */
export const MAX_RESTARTS = 5;
/** A child up this long is healthy again: its crash count starts over. */
export const STABLE_UPTIME_MS = 60_000;

export interface ChildFailure {
  readonly child: SupervisedChild;
  readonly reason: string;
}

interface Context {
  readonly restarts: Record<SupervisedChild, number>;
  readonly lastCrash: Partial<Record<SupervisedChild, string>>;
  readonly failures: readonly ChildFailure[];
  readonly user?: ProvisionedUser;
  /** Why the app failed as a whole. */
  readonly reason?: string;
}

type Events = { type: 'provisioning.done'; user: ProvisionedUser } | { type: 'app.stop' };

export function backoffDelay(crashes: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, crashes - 1), BACKOFF_MAX_MS);
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error) ?? 'unknown error';
}

export const appMachine = setup({
  types: {} as { context: Context; events: Events },
  actors: {
    openArchive: fromPromise<void>(notProvided('openArchive')),
    provisioning: provisioningMachine,
    workerPool: fromPromise(notProvided('workerPool')) as AnyActorLogic,
    /** Flushes the store, closes sockets; children are already stopped when it runs. */
    shutdown: fromPromise<void>(notProvided('shutdown')),
  },
  actions: {
    keepUser: assign({ user: (_, user: ProvisionedUser) => user }),
    countCrash: assign(({ context }, { child, reason }: { child: SupervisedChild; reason: string }) => ({
      restarts: { ...context.restarts, [child]: context.restarts[child] + 1 },
      lastCrash: { ...context.lastCrash, [child]: reason },
    })),
    forgiveCrashes: assign(({ context }, { child }: { child: SupervisedChild }) => ({ restarts: { ...context.restarts, [child]: 0 } })),
    recordFailure: assign(({ context }, { child }: { child: SupervisedChild }) => ({
      failures: [...context.failures.filter((f) => f.child !== child), { child, reason: context.lastCrash[child] ?? 'crashed' }],
    })),
    keepReason: assign({ reason: (_, reason: string) => reason }),
  },
  guards: {
    restartsExhausted: ({ context }, { child }: { child: SupervisedChild }) => context.restarts[child] >= MAX_RESTARTS,
  },
  delays: {
    workerPoolBackoff: ({ context }) => backoffDelay(context.restarts.workerPool),
    stableUptime: STABLE_UPTIME_MS,
  },
}).createMachine({
  id: 'app',
  context: { restarts: { workerPool: 0 }, lastCrash: {}, failures: [] },
  initial: 'starting',
  states: {
    starting: {
      invoke: {
        src: 'openArchive',
        onDone: 'live',
        onError: { target: 'failed', actions: { type: 'keepReason', params: ({ event }) => `cannot open the archive: ${describeError(event.error)}` } },
      },
      on: { 'app.stop': 'stopping' },
    },
    /** The archive is open; provisioning lives as long as the app, so a second provision is answered. */
    live: {
      invoke: {
        src: 'provisioning',
        id: 'provisioning',
        systemId: SYSTEM_ID.provisioning,
        onError: { target: 'failed', actions: { type: 'keepReason', params: ({ event }) => `provisioning crashed: ${describeError(event.error)}` } },
      },
      initial: 'provisioning',
      states: {
        provisioning: {
          on: { 'provisioning.done': { target: 'running', actions: { type: 'keepUser', params: ({ event }) => event.user } } },
        },
        running: {
          type: 'parallel',
          states: {
            workerPool: {
              initial: 'up',
              states: {
                up: {
                  invoke: {
                    src: 'workerPool',
                    id: 'workerPool',
                    systemId: SYSTEM_ID.workerPool,
                    onError: { target: 'backingOff', actions: { type: 'countCrash', params: ({ event }) => ({ child: 'workerPool' as const, reason: describeError(event.error) }) } },
                    onDone: { target: 'backingOff', actions: { type: 'countCrash', params: { child: 'workerPool', reason: 'stopped unexpectedly' } } },
                  },
                  after: { stableUptime: { actions: { type: 'forgiveCrashes', params: { child: 'workerPool' } } } },
                },
                backingOff: {
                  always: { guard: { type: 'restartsExhausted', params: { child: 'workerPool' } }, target: 'failed' },
                  after: { workerPoolBackoff: 'up' },
                },
                failed: { entry: { type: 'recordFailure', params: { child: 'workerPool' } } },
              },
            },
          },
        },
      },
      on: { 'app.stop': 'stopping' },
    },
    stopping: {
      invoke: {
        src: 'shutdown',
        onDone: 'stopped',
        onError: { target: 'failed', actions: { type: 'keepReason', params: ({ event }) => `shutdown failed: ${describeError(event.error)}` } },
      },
    },
    stopped: { type: 'final' },
    failed: { type: 'final' },
  },
});
