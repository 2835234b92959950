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
 * or → failed. Each subsystem (worker pool, federation, AI; IoM later) is a region of the same shape.
 */
export const SUPERVISED_CHILDREN = ['workerPool', 'federation', 'ai'] as const;
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

/** What the host hands each child when it (re)starts it; opaque to the app. */
export type ChildInputs = Partial<Record<SupervisedChild, unknown>>;

interface Context {
  readonly childInputs: ChildInputs;
  readonly restarts: Record<SupervisedChild, number>;
  readonly lastCrash: Partial<Record<SupervisedChild, string>>;
  readonly failures: readonly ChildFailure[];
  readonly user?: ProvisionedUser;
  /** Why the app failed as a whole. */
  readonly reason?: string;
}

type Events = { type: 'provisioning.done'; user: ProvisionedUser } | { type: 'app.stop' };

/** A child that stopped by itself may say why in its output (`{ reason }`), e.g. a listener whose port was taken. */
function doneReason(output: unknown): string {
  const reason = (output as { reason?: { code?: string; message?: string } | string } | undefined)?.reason;
  if (typeof reason === 'string') return reason;
  if (reason?.message) return reason.code ? `${reason.message} (${reason.code})` : reason.message;
  return 'stopped unexpectedly';
}

export function backoffDelay(crashes: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, crashes - 1), BACKOFF_MAX_MS);
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error) ?? 'unknown error';
}

export const appMachine = setup({
  types: {} as { context: Context; events: Events; input: { childInputs?: ChildInputs } },
  actors: {
    openArchive: fromPromise<void>(notProvided('openArchive')),
    provisioning: provisioningMachine,
    workerPool: fromPromise(notProvided('workerPool')) as AnyActorLogic,
    /** The federation listener on 127.0.0.1:8765 (machines/federation-listener.ts). */
    federation: fromPromise(notProvided('federation')) as AnyActorLogic,
    /** The AI assistant (machines/ai-assistant.ts): AI contacts answering in their topics. */
    ai: fromPromise(notProvided('ai')) as AnyActorLogic,
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
    federationBackoff: ({ context }) => backoffDelay(context.restarts.federation),
    aiBackoff: ({ context }) => backoffDelay(context.restarts.ai),
    stableUptime: STABLE_UPTIME_MS,
  },
}).createMachine({
  id: 'app',
  context: ({ input }) => ({ childInputs: input.childInputs ?? {}, restarts: { workerPool: 0, federation: 0, ai: 0 }, lastCrash: {}, failures: [] }),
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
            workerPool: supervised('workerPool', 'workerPoolBackoff'),
            federation: supervised('federation', 'federationBackoff'),
            ai: supervised('ai', 'aiBackoff'),
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

/**
 * One supervised child's region: up (invoked with its input, systemId = its name) → backingOff
 * (its own named delay) → up; failed once MAX_RESTARTS crashes came without a stable run between.
 */
function supervised<C extends SupervisedChild>(child: C, backoff: `${C}Backoff`) {
  return {
    initial: 'up' as const,
    states: {
      up: {
        invoke: {
          src: child,
          id: child,
          systemId: SYSTEM_ID[child],
          input: ({ context }: { context: Context }) => context.childInputs[child],
          onError: { target: 'backingOff' as const, actions: { type: 'countCrash' as const, params: ({ event }: { event: { error: unknown } }) => ({ child, reason: describeError(event.error) }) } },
          onDone: { target: 'backingOff' as const, actions: { type: 'countCrash' as const, params: ({ event }: { event: { output: unknown } }) => ({ child, reason: doneReason(event.output) }) } },
        },
        after: { stableUptime: { actions: { type: 'forgiveCrashes' as const, params: { child } } } },
      },
      backingOff: {
        always: { guard: { type: 'restartsExhausted' as const, params: { child } }, target: 'failed' as const },
        after: { [backoff]: 'up' as const },
      },
      failed: { entry: { type: 'recordFailure' as const, params: { child } } },
    },
  };
}
