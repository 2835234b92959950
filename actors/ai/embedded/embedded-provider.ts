import { LlmError, isLlmError, type CompletionChunk, type CompletionRequest, type LlmProvider, type ModelInfo, type ProviderHealth } from '../llm-provider.ts';
import type { LlmGenerated } from '../../workers/ops.ts';
import type { WorkerPool } from '../../workers/pool-client.ts';
import { isWorkerError } from '../../workers/worker-error.ts';
import { workerTurns } from './chat-turns.ts';
import { ChunkQueue } from './chunk-queue.ts';
import { EmbeddedModelError } from './embedded-error.ts';
import type { EmbeddedModel, EmbeddedModels } from './embedded-models.ts';

/**
 * The embedded local model as an LlmProvider (kind 'embedded', specs/llm-embedded.md): chat with
 * no Ollama, LM Studio or key. Models come from EmbeddedModels (the pinned default, downloaded on
 * first use, or a GGUF file the user picked); inference runs in the worker pool's LLM worker, a
 * child process, so a model that crashes llama.cpp costs a restart of that process, never the app.
 *
 * - complete(): checks (and if need be downloads) the model, then runs the worker's `generate` op;
 *   its progress events become text chunks as they arrive, its result the `done` chunk with usage.
 *   Aborting the request's signal — or the caller leaving the stream early — stops the generation
 *   in the worker: `done: cancelled` if text already came, LlmError CANCELLED if none did.
 * - warm(): loads a model in the background (the host calls it at start, so the first answer does
 *   not wait for the load); it never throws, its outcome shows in `status`.
 * - The worker loads one model at a time and keeps it; asking for another swaps it.
 * - No tools: small local models do not call them reliably (capabilities.tools is false).
 */

export type EmbeddedStatus =
  | { readonly state: 'idle' }
  | { readonly state: 'downloading'; readonly model: string; readonly received: number; readonly total: number }
  | { readonly state: 'loading'; readonly model: string }
  | { readonly state: 'ready'; readonly model: string }
  | { readonly state: 'failed'; readonly model: string; readonly message: string };

export interface EmbeddedProviderOptions {
  /** The provider's id in LLMManager (default 'embedded'). */
  readonly id?: string;
  readonly models: EmbeddedModels;
  readonly pool: WorkerPool;
  /** Tokens of context to allocate per loaded model (the model's own limit caps it). */
  readonly contextSize?: number;
}

export class EmbeddedProvider implements LlmProvider {
  readonly id: string;
  readonly kind = 'embedded' as const;
  readonly #models: EmbeddedModels;
  readonly #pool: WorkerPool;
  readonly #contextSize: number | undefined;
  readonly #listeners = new Set<(status: EmbeddedStatus) => void>();
  #status: EmbeddedStatus = { state: 'idle' };
  /** The file the worker holds, as far as this provider knows (a crash forgets it). */
  #loaded: string | undefined;

  constructor(options: EmbeddedProviderOptions) {
    this.id = options.id ?? 'embedded';
    this.#models = options.models;
    this.#pool = options.pool;
    this.#contextSize = options.contextSize;
  }

  get defaultModelId(): string {
    return this.#models.defaultModelId;
  }

  /** Downloading, loading, ready or failed: what the UI shows beside the model. */
  get status(): EmbeddedStatus {
    return this.#status;
  }

  onStatus(listener: (status: EmbeddedStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async listModels(): Promise<ModelInfo[]> {
    const models = await this.#models.list();
    return models.map((model) => ({ id: model.id, name: model.name, contextLength: model.contextLength, capabilities: { tools: false } }));
  }

  /**
   * Whether the model process answers. A worker busy answering someone is evidently alive (a ping
   * would wait behind that answer). Missing weights are not a health problem: the first use
   * downloads them.
   */
  async health(signal?: AbortSignal): Promise<ProviderHealth> {
    const started = performance.now();
    const workers = this.#pool.status().kinds.llm?.workers ?? [];
    if (workers.length > 0 && workers.every((w) => w.state === 'failed')) {
      return { status: 'error', message: `the local model process kept crashing and was stopped (${workers[0]!.lastError ?? 'no reason given'}); restart LAMA to try again` };
    }
    if (workers.some((w) => w.state === 'busy')) return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
    try {
      await this.#pool.run('llm', { op: 'ping', payload: { nonce: Date.now() } }, { signal, timeoutMs: 10_000 });
      return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { status: 'error', message: `the local model process does not answer: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** Loads `modelId` (the default one if none is given) if it is on this machine; downloads nothing. */
  async warm(modelId = this.#models.defaultModelId): Promise<void> {
    const present = (await this.#models.list().catch(() => [])).find((model) => model.id === modelId);
    if (!present) return;
    try {
      await this.#load(present);
    } catch {
      // Shown in status; the next request tries again and reports the error to its caller.
    }
  }

  complete(request: CompletionRequest): AsyncIterable<CompletionChunk> {
    return this.#complete(request);
  }

  /** Releases the loaded model's memory in the worker (the worker itself belongs to the pool). */
  async close(): Promise<void> {
    if (this.#loaded === undefined) return;
    this.#loaded = undefined;
    await this.#pool.run('llm', { op: 'unload', payload: {} }).catch(() => {});
    this.#setStatus({ state: 'idle' });
  }

  async *#complete(request: CompletionRequest): AsyncGenerator<CompletionChunk> {
    if (request.signal?.aborted) throw cancelled();
    // Ours, so that a caller leaving the stream early stops the generation too.
    const stop = new AbortController();
    const forward = () => stop.abort();
    request.signal?.addEventListener('abort', forward, { once: true });
    let yielded = false;
    let model: EmbeddedModel | undefined;
    try {
      model = await this.#models.ensure(request.model, {
        signal: stop.signal,
        onDownload: ({ model: id, received, total }) => this.#setStatus({ state: 'downloading', model: id, received, total }),
      });
      if (this.#loaded !== model.path) this.#setStatus({ state: 'loading', model: model.id });
      const text = new ChunkQueue<string>();
      const run = this.#pool.run(
        'llm',
        {
          op: 'generate',
          payload: { modelPath: model.path, contextSize: this.#contextSize, messages: workerTurns(request.messages), maxTokens: request.maxTokens, temperature: request.temperature },
        },
        { signal: stop.signal, onProgress: (event) => text.push(event.text) },
      );
      // Progress always arrives before the outcome, so ending the queue then loses no text.
      const settled = run.then(
        (result) => (text.end(), result),
        (error: unknown) => (text.end(), Promise.reject(error)),
      );
      settled.catch(() => {}); // awaited below; until then a rejection is not unhandled
      let first = true;
      for await (const chunk of text) {
        if (first) {
          this.#markLoaded(model);
          first = false;
        }
        yielded = true;
        yield { type: 'text', text: chunk };
      }
      const result: LlmGenerated = await settled;
      this.#markLoaded(model);
      if (result.stopReason === 'cancelled' && !yielded) throw cancelled();
      yield { type: 'done', stopReason: result.stopReason, usage: result.usage };
    } catch (error) {
      const failure = this.#failure(error, model, yielded ? 'answering' : 'loading', request.model);
      if (failure.code === 'CANCELLED' && yielded) {
        yield { type: 'done', stopReason: 'cancelled' };
        return;
      }
      throw failure;
    } finally {
      request.signal?.removeEventListener('abort', forward);
      stop.abort(); // a no-op once the task has settled; stops it when the caller left early
    }
  }

  async #load(model: EmbeddedModel): Promise<void> {
    if (this.#loaded !== model.path) this.#setStatus({ state: 'loading', model: model.id });
    try {
      await this.#pool.run('llm', { op: 'load', payload: { modelPath: model.path, contextSize: this.#contextSize } });
      this.#markLoaded(model);
    } catch (error) {
      throw this.#failure(error, model, 'loading', model.id);
    }
  }

  #markLoaded(model: EmbeddedModel): void {
    this.#loaded = model.path;
    if (this.#status.state !== 'ready' || this.#status.model !== model.id) this.#setStatus({ state: 'ready', model: model.id });
  }

  /** The LlmError a caller sees, with the status updated to match. */
  #failure(error: unknown, model: EmbeddedModel | undefined, doing: 'loading' | 'answering', requested: string): LlmError {
    const failure = toLlmError(error, model, doing);
    if (isEmbeddedCrash(failure)) this.#loaded = undefined;
    if (failure.code !== 'CANCELLED') this.#setStatus({ state: 'failed', model: requested, message: failure.message });
    else if (this.#status.state !== 'ready') this.#setStatus(this.#loaded && model ? { state: 'ready', model: model.id } : { state: 'idle' });
    return failure;
  }

  #setStatus(status: EmbeddedStatus): void {
    this.#status = status;
    for (const listener of this.#listeners) listener(status);
  }
}

const cancelled = () => new LlmError('CANCELLED', 'the answer was stopped');

const isEmbeddedCrash = (error: LlmError) => error instanceof EmbeddedModelError && (error.reason === 'RUNTIME_CRASHED' || error.reason === 'LOAD_FAILED');

/** A pool task's failure as the LlmError the provider contract promises. */
export function toLlmError(error: unknown, model: EmbeddedModel | undefined, doing: 'loading' | 'answering'): LlmError {
  if (isLlmError(error)) return error;
  const name = model?.id ?? 'the model';
  if (!isWorkerError(error)) return new LlmError('PROVIDER', `the embedded model failed: ${error instanceof Error ? error.message : String(error)}`);
  switch (error.code) {
    case 'CANCELLED':
      return cancelled();
    case 'TIMEOUT':
      return new LlmError('TIMEOUT', `the embedded model did not finish ${doing} ${name} in time; its process was restarted`);
    case 'WORKER_CRASHED':
      return new EmbeddedModelError(
        'PROVIDER',
        'RUNTIME_CRASHED',
        `the local model process stopped while ${doing} ${name} (${error.message.replace(/^.*\((.*)\).*$/, '$1')}); the file may be damaged or need a newer llama.cpp. The process restarts on the next request.`,
      );
    case 'QUEUE_FULL':
      return new EmbeddedModelError('RATE_LIMITED', 'BUSY', 'the embedded model has too many requests waiting; try again when it has answered some');
    case 'NO_WORKERS':
    case 'POOL_STOPPED':
    case 'UNKNOWN_KIND':
      return new EmbeddedModelError('PROVIDER', 'RUNTIME_UNAVAILABLE', `the local model process is not available: ${error.message}`);
    case 'TASK_FAILED':
      if (error.detail?.code === 'LOAD_FAILED') return new EmbeddedModelError('PROVIDER', 'LOAD_FAILED', stripWhere(error.message));
      if (error.detail?.code === 'MODEL_FILE_MISSING') return new EmbeddedModelError('MODEL_MISSING', 'FILE_MISSING', stripWhere(error.message));
      if (error.detail?.code === 'RUNTIME_UNAVAILABLE') return new EmbeddedModelError('PROVIDER', 'RUNTIME_UNAVAILABLE', stripWhere(error.message));
      return new LlmError('PROVIDER', `the embedded model failed ${doing} ${name}: ${stripWhere(error.message)}`);
    default:
      return new LlmError('PROVIDER', `the embedded model failed ${doing} ${name}: ${error.message}`);
  }
}

/** "llm.generate: …" → "…": the op is an implementation detail. */
const stripWhere = (message: string) => message.replace(/^llm\.\w+: /, '');
