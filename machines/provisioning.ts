import { assign, emit, fromPromise, sendTo, setup } from 'xstate';
import { notProvided } from './not-provided.ts';
import { SYSTEM_ID } from './system-ids.ts';

/**
 * Provisioning (DESIGN.md §4): the browser user hands the Node instance credentials
 * (`orchestrate:provision`); the Node instance creates its own user (a different Person) on first
 * provision, or unlocks it. Every request is answered by an emitted `provision.succeeded` or
 * `provision.failed` carrying its `requestId`, so the IPC handler that sent it can reply.
 * A wrong passphrase, a corrupt store and a second provision each have their own state; a
 * request that arrives while one is being worked on is refused as BUSY, never left unanswered.
 */
export interface ProvisionRequest {
  readonly requestId: string;
  readonly name: string;
  readonly passphrase: string;
}

export interface ProvisionedUser {
  readonly personId: string;
  readonly instanceId: string;
  readonly name: string;
}

export interface ProvisionError {
  readonly code: string;
  readonly message: string;
}

type Events = { type: 'provision.request' } & ProvisionRequest;

type Emitted =
  | { type: 'provision.succeeded'; requestId: string; user: ProvisionedUser; created: boolean }
  | { type: 'provision.failed'; requestId: string; error: ProvisionError };

interface Context {
  request?: ProvisionRequest;
  user?: ProvisionedUser;
  /** Why the store is unusable, once `corrupt`. */
  fault?: ProvisionError;
}

/** Errors from effects cross as plain data: a `code` and a `message`. */
function toProvisionError(error: unknown, fallback: string): ProvisionError {
  const coded = error as { code?: unknown; message?: unknown } | undefined;
  return {
    code: typeof coded?.code === 'string' ? coded.code : fallback,
    message: typeof coded?.message === 'string' ? coded.message : String(error),
  };
}

export const provisioningMachine = setup({
  types: {} as { context: Context; events: Events; emitted: Emitted },
  actors: {
    /** Does the archive already hold the Node user? */
    checkStore: fromPromise<{ hasUser: boolean }>(notProvided('checkStore')),
    createUser: fromPromise<ProvisionedUser, ProvisionRequest>(notProvided('createUser')),
    /** Opens the existing user with the passphrase; rejects with code WRONG_PASSPHRASE when it does not fit. */
    unlockUser: fromPromise<ProvisionedUser, ProvisionRequest>(notProvided('unlockUser')),
  },
  actions: {
    takeRequest: assign({ request: ({ event }) => ({ requestId: event.requestId, name: event.name, passphrase: event.passphrase }) }),
    forgetRequest: assign({ request: undefined }),
    keepUser: assign({ user: (_, user: ProvisionedUser) => user }),
    keepFault: assign({ fault: (_, fault: ProvisionError) => fault }),
    announceSuccess: emit(({ context }, params: { user: ProvisionedUser; created: boolean }) => ({
      type: 'provision.succeeded' as const,
      requestId: context.request!.requestId,
      user: params.user,
      created: params.created,
    })),
    announceFailure: emit(({ context }, error: ProvisionError) => ({
      type: 'provision.failed' as const,
      requestId: context.request!.requestId,
      error,
    })),
    refuseRequest: emit(({ event }, error: ProvisionError) => ({ type: 'provision.failed' as const, requestId: event.requestId, error })),
    refuseWhileBusy: emit(({ event }) => ({
      type: 'provision.failed' as const,
      requestId: event.requestId,
      error: { code: 'BUSY', message: 'provisioning is already in progress; try again in a moment' },
    })),
    /** Tells the app supervisor the Node user is ready, so it can start the rest of the tree. */
    notifyApp: sendTo(({ system }) => system.get(SYSTEM_ID.app), ({ context }) => ({ type: 'provisioning.done' as const, user: context.user! })),
  },
  guards: {
    hasUser: (_, hasUser: boolean) => hasUser,
    isWrongPassphrase: (_, error: unknown) => toProvisionError(error, '').code === 'WRONG_PASSPHRASE',
  },
}).createMachine({
  id: 'provisioning',
  context: {},
  initial: 'checking',
  states: {
    checking: {
      on: { 'provision.request': { actions: 'refuseWhileBusy' } },
      invoke: {
        src: 'checkStore',
        onDone: [
          { guard: { type: 'hasUser', params: ({ event }) => event.output.hasUser }, target: 'locked' },
          { target: 'awaitingUser' },
        ],
        onError: {
          target: 'corrupt',
          actions: { type: 'keepFault', params: ({ event }) => toProvisionError(event.error, 'CORRUPT_STORE') },
        },
      },
    },
    /** No user yet: the first provision creates one. */
    awaitingUser: {
      on: { 'provision.request': { target: 'creating', actions: 'takeRequest' } },
    },
    creating: {
      on: { 'provision.request': { actions: 'refuseWhileBusy' } },
      invoke: {
        src: 'createUser',
        input: ({ context }) => context.request!,
        onDone: becomeProvisioned(true),
        onError: {
          target: 'awaitingUser',
          actions: [{ type: 'announceFailure', params: ({ event }) => toProvisionError(event.error, 'CREATE_FAILED') }, 'forgetRequest'],
        },
      },
    },
    /** A user exists and waits for its passphrase. */
    locked: {
      on: { 'provision.request': { target: 'unlocking', actions: 'takeRequest' } },
    },
    unlocking: {
      on: { 'provision.request': { actions: 'refuseWhileBusy' } },
      invoke: {
        src: 'unlockUser',
        input: ({ context }) => context.request!,
        onDone: becomeProvisioned(false),
        onError: [
          {
            guard: { type: 'isWrongPassphrase', params: ({ event }: { event: { error: unknown } }) => event.error },
            target: 'wrongPassphrase',
            actions: [{ type: 'announceFailure', params: ({ event }) => toProvisionError(event.error, 'WRONG_PASSPHRASE') }, 'forgetRequest'],
          },
          {
            target: 'corrupt',
            actions: [
              { type: 'keepFault', params: ({ event }) => toProvisionError(event.error, 'CORRUPT_STORE') },
              { type: 'announceFailure', params: ({ event }) => toProvisionError(event.error, 'CORRUPT_STORE') },
              'forgetRequest',
            ],
          },
        ],
      },
    },
    /** The last attempt had the wrong passphrase; the user may try again. */
    wrongPassphrase: {
      on: { 'provision.request': { target: 'unlocking', actions: 'takeRequest' } },
    },
    /** The store cannot be opened; every request is refused with the reason until the app is reset. */
    corrupt: {
      on: { 'provision.request': { actions: { type: 'refuseRequest', params: ({ context }) => context.fault! } } },
    },
    provisioned: {
      on: { 'provision.request': { target: 'reprovisioning', actions: 'takeRequest' } },
    },
    /**
     * A second provision (the renderer reloaded, or another window): it must prove the same
     * passphrase, and never creates a second user. The Node user stays provisioned either way.
     */
    reprovisioning: {
      on: { 'provision.request': { actions: 'refuseWhileBusy' } },
      invoke: {
        src: 'unlockUser',
        input: ({ context }) => context.request!,
        onDone: {
          target: 'provisioned',
          actions: [{ type: 'announceSuccess', params: ({ event }) => ({ user: event.output, created: false }) }, 'forgetRequest'],
        },
        onError: {
          target: 'provisioned',
          actions: [{ type: 'announceFailure', params: ({ event }) => toProvisionError(event.error, 'WRONG_PASSPHRASE') }, 'forgetRequest'],
        },
      },
    },
  },
});

/** Creating and unlocking end alike: keep the user, answer the request, tell the app — once. */
function becomeProvisioned(created: boolean) {
  return {
    target: 'provisioned' as const,
    actions: [
      { type: 'keepUser' as const, params: ({ event }: { event: { output: ProvisionedUser } }) => event.output },
      { type: 'announceSuccess' as const, params: ({ event }: { event: { output: ProvisionedUser } }) => ({ user: event.output, created }) },
      'forgetRequest' as const,
      'notifyApp' as const,
    ],
  };
}
