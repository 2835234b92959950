import { LlmError, type CompletionChunk } from '../llm-provider.ts';
import { describeFailure, type ClassifyError, type FailureContext } from './provider-errors.ts';
import { TransportGuard } from './transport-guard.ts';

/**
 * The LlmProvider contract, kept in one place for every remote provider (specs/llm-providers.md §2):
 * a stream ends with exactly one `done` or throws one LlmError; a cancel after the first chunk
 * ends it with `done: cancelled`, before it throws CANCELLED; a stream that simply stops without
 * its terminal event is MALFORMED_STREAM, never a quietly short answer.
 */
export interface GuardedRun {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly ndjson?: boolean;
  readonly context: FailureContext;
  readonly classify: ClassifyError;
}

/** `produce` yields chunks read through the guard, its last one `done` when the provider ended the answer properly. */
export async function* guardedStream(run: GuardedRun, produce: (guard: TransportGuard) => AsyncIterable<CompletionChunk>): AsyncGenerator<CompletionChunk> {
  const guard = new TransportGuard(run);
  let started = false;
  try {
    let failure: unknown = new LlmError('MALFORMED_STREAM', `${run.context.label} ended the answer without its final event`);
    try {
      for await (const chunk of produce(guard)) {
        // A chunk parsed before the cancel arrived is not shown after it.
        if (guard.failure === 'cancelled') break;
        started = true;
        yield chunk;
        if (chunk.type === 'done') return;
      }
    } catch (error) {
      failure = error;
    }
    if (guard.failure === 'cancelled' && started) {
      yield { type: 'done', stopReason: 'cancelled' };
      return;
    }
    throw describeFailure(failure, guard, run.context, run.classify);
  } finally {
    guard.dispose();
  }
}

/** A request that is not streamed to the caller (the model list, a health probe). */
export async function guardedCall<T>(run: GuardedRun, call: (guard: TransportGuard) => Promise<T>): Promise<T> {
  const guard = new TransportGuard(run);
  try {
    return await call(guard);
  } catch (error) {
    throw describeFailure(error, guard, run.context, run.classify);
  } finally {
    guard.dispose();
  }
}
