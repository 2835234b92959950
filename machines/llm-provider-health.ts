import { assign, emit, fromPromise, setup } from 'xstate';
import { notProvided } from './not-provided.ts';

/**
 * The health of one LLM provider, as LLMManager keeps it (specs/llm-providers.md §6):
 *
 *   checking ──ok──────────▶ healthy ──recheck──▶ checking
 *            ──unreachable/error──▶ backingOff ──backoff (doubling, capped)──▶ checking
 *            ──unauthorized──▶ refused            (a wrong key does not mend itself: waits for health.check)
 *   health.check from healthy, backingOff or refused ─▶ checking   (during checking the check under way answers)
 *
 * `probe` asks the provider (LlmProvider.health, which never throws) and returns its report;
 * every report is emitted as `health.checked`.
 */
export type HealthReport =
  | { readonly status: 'ok'; readonly latencyMs: number }
  | { readonly status: 'unreachable' | 'unauthorized' | 'error'; readonly message: string };

export interface HealthPolicy {
  /** How long a healthy provider goes unchecked. */
  readonly recheckMs: number;
  /** The first retry after a failed check; each further failure doubles it … */
  readonly backoffBaseMs: number;
  /** … up to this. */
  readonly backoffMaxMs: number;
}

export const DEFAULT_HEALTH_POLICY: HealthPolicy = { recheckMs: 60_000, backoffBaseMs: 1_000, backoffMaxMs: 60_000 };

export interface HealthInput {
  readonly providerId: string;
  readonly policy?: HealthPolicy;
}

export interface HealthContext {
  readonly providerId: string;
  readonly policy: HealthPolicy;
  readonly report: HealthReport | undefined;
  /** Failed checks in a row. */
  readonly failures: number;
}

export type HealthEvent = { type: 'health.check' };
export type HealthEmitted = { type: 'health.checked'; providerId: string; report: HealthReport };

/** The wait after `failures` failed checks in a row (1, 2, …): base · 2^(failures−1), capped. */
export function healthBackoff(policy: HealthPolicy, failures: number): number {
  return Math.min(policy.backoffBaseMs * 2 ** Math.max(0, failures - 1), policy.backoffMaxMs);
}

export const llmProviderHealthMachine = setup({
  types: {} as {
    input: HealthInput;
    context: HealthContext;
    events: HealthEvent;
    emitted: HealthEmitted;
  },
  actors: {
    probe: fromPromise<HealthReport, { providerId: string }>(notProvided('probe')),
  },
  actions: {
    keepReport: assign((_, report: HealthReport) => ({ report })),
    countFailure: assign(({ context }) => ({ failures: context.failures + 1 })),
    resetFailures: assign({ failures: 0 }),
    announce: emit(({ context }) => ({ type: 'health.checked' as const, providerId: context.providerId, report: context.report! })),
  },
  guards: {
    isOk: (_, report: HealthReport) => report.status === 'ok',
    isUnauthorized: (_, report: HealthReport) => report.status === 'unauthorized',
  },
  delays: {
    recheck: ({ context }) => context.policy.recheckMs,
    backoff: ({ context }) => healthBackoff(context.policy, context.failures),
  },
}).createMachine({
  id: 'llmProviderHealth',
  context: ({ input }) => ({ providerId: input.providerId, policy: input.policy ?? DEFAULT_HEALTH_POLICY, report: undefined, failures: 0 }),
  initial: 'checking',
  states: {
    checking: {
      invoke: {
        src: 'probe',
        input: ({ context }) => ({ providerId: context.providerId }),
        onDone: [
          { guard: { type: 'isOk', params: ({ event }) => event.output }, target: 'healthy', actions: [{ type: 'keepReport', params: ({ event }) => event.output }, 'resetFailures', 'announce'] },
          { guard: { type: 'isUnauthorized', params: ({ event }) => event.output }, target: 'refused', actions: [{ type: 'keepReport', params: ({ event }) => event.output }, 'countFailure', 'announce'] },
          { target: 'backingOff', actions: [{ type: 'keepReport', params: ({ event }) => event.output }, 'countFailure', 'announce'] },
        ],
        // A probe should report, not throw; one that throws counts as an error report.
        onError: {
          target: 'backingOff',
          actions: [{ type: 'keepReport', params: ({ event }) => ({ status: 'error' as const, message: event.error instanceof Error ? event.error.message : String(event.error) }) }, 'countFailure', 'announce'],
        },
      },
    },
    healthy: {
      after: { recheck: 'checking' },
      on: { 'health.check': 'checking' },
    },
    backingOff: {
      after: { backoff: 'checking' },
      on: { 'health.check': 'checking' },
    },
    refused: {
      on: { 'health.check': 'checking' },
    },
  },
});
