import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { ChatHistoryItem, Llama, LlamaChat, LlamaContext, LlamaModel } from 'node-llama-cpp';
import type { LlmGenerated, LlmGeneratePayload, LlmLoaded, LlmLoadPayload, LlmTurn } from '../../workers/ops.ts';

/**
 * The embedded model's runtime: node-llama-cpp (llama.cpp) on the CPU, inside the LLM worker
 * process (specs/llm-embedded.md §4). It holds at most one model, loads one at a time, and streams
 * a reply's text as it is generated.
 *
 * - Threads: one per core (`os.availableParallelism()`), for the library and for each context.
 *   node-llama-cpp's default is at least 4, and 4 threads on a 2-core machine make generation
 *   about 100× slower (they spin-wait on each other).
 * - The library is imported on first use, so the worker starts (and answers ping) in milliseconds.
 * - llama.cpp reports why a load failed only in its log, so the last error lines are kept and put
 *   in the thrown error's message. A file that makes llama.cpp abort takes the process with it:
 *   that is what the process boundary is for, and the pool restarts the worker.
 * - One LlamaChat per loaded model, on one context sequence: a follow-up turn whose history starts
 *   as the previous one did reuses the tokens already in the context instead of evaluating them
 *   again (the sequence keeps the longest common prefix).
 */

export const DEFAULT_CONTEXT_SIZE = 4096;
/** A sampling temperature that keeps small models from looping, when the caller does not set one. */
export const DEFAULT_TEMPERATURE = 0.7;
const LOG_WAIT_MS = 1_000;

/** An error the worker answers with; `code` travels in the task failure's detail. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: 'MODEL_FILE_MISSING' | 'LOAD_FAILED' | 'RUNTIME_UNAVAILABLE',
    message: string,
  ) {
    super(message);
  }
}

interface Loaded {
  info: LlmLoaded;
  model: LlamaModel;
  context: LlamaContext;
  chat: LlamaChat;
}

export class LlamaEngine {
  readonly threads: number;
  #llama: Promise<Llama> | undefined;
  #loaded: Loaded | undefined;
  /** Every load and generation runs after the one before it: one load at a time, never two models. */
  #queue: Promise<unknown> = Promise.resolve();
  readonly #errors: string[] = [];

  constructor(options: { threads?: number } = {}) {
    this.threads = options.threads ?? Math.max(1, availableParallelism());
  }

  get loadedPath(): string | null {
    return this.#loaded?.info.modelPath ?? null;
  }

  load(request: LlmLoadPayload, signal?: AbortSignal): Promise<LlmLoaded> {
    return this.#serially(async () => (await this.#ensure(request, signal)).info);
  }

  generate(request: LlmGeneratePayload, onText: (text: string) => void, signal?: AbortSignal): Promise<LlmGenerated> {
    return this.#serially(async () => {
      const loaded = await this.#ensure(request, signal);
      signal?.throwIfAborted();
      const sequence = loaded.chat.sequence;
      const before = sequence.tokenMeter.getState();
      let outputTokens = 0;
      const reply = await loaded.chat.generateResponse(chatHistory(request.messages), {
        maxTokens: request.maxTokens,
        temperature: request.temperature ?? DEFAULT_TEMPERATURE,
        signal,
        stopOnAbortSignal: true,
        onTextChunk: onText,
        onToken: (tokens) => (outputTokens += tokens.length),
      });
      const stop = reply.metadata.stopReason;
      return {
        stopReason: stop === 'maxTokens' ? 'maxTokens' : stop === 'abort' ? 'cancelled' : 'end',
        usage: { inputTokens: sequence.tokenMeter.diff(before).usedInputTokens, outputTokens },
      };
    });
  }

  unload(): Promise<{ unloaded: string | null }> {
    return this.#serially(async () => {
      const path = this.loadedPath;
      await this.#release();
      return { unloaded: path };
    });
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => {});
    return next;
  }

  async #ensure(request: LlmLoadPayload, signal?: AbortSignal): Promise<Loaded> {
    const wanted = request.contextSize ?? DEFAULT_CONTEXT_SIZE;
    const loaded = this.#loaded;
    if (loaded && loaded.info.modelPath === request.modelPath && loaded.info.contextSize === Math.min(wanted, loaded.info.trainContextSize)) return loaded;
    await this.#release();
    signal?.throwIfAborted();
    try {
      await access(request.modelPath);
    } catch {
      throw new EngineError('MODEL_FILE_MISSING', `no model file at ${request.modelPath}`);
    }
    const llama = await this.#library();
    const started = performance.now();
    this.#errors.length = 0;
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: request.modelPath, gpuLayers: 0, loadSignal: signal });
    } catch (error) {
      signal?.throwIfAborted();
      await this.#logsSettled();
      throw new EngineError('LOAD_FAILED', `llama.cpp could not load ${request.modelPath}: ${this.#why(error)}`);
    }
    try {
      const contextSize = Math.min(wanted, model.trainContextSize);
      const context = await model.createContext({ contextSize, threads: this.threads, sequences: 1 });
      const { LlamaChat } = await import('node-llama-cpp');
      const chat = new LlamaChat({ contextSequence: context.getSequence() });
      const info: LlmLoaded = { modelPath: request.modelPath, contextSize, trainContextSize: model.trainContextSize, threads: this.threads, loadMs: Math.round(performance.now() - started) };
      this.#loaded = { info, model, context, chat };
      return this.#loaded;
    } catch (error) {
      await model.dispose();
      throw new EngineError('LOAD_FAILED', `llama.cpp loaded ${request.modelPath} but could not make a context for it: ${this.#why(error)}`);
    }
  }

  /** Lets go of the loaded model. A dispose that fails must not fail the load that follows: the references are dropped either way. */
  async #release(): Promise<void> {
    const loaded = this.#loaded;
    this.#loaded = undefined;
    if (!loaded) return;
    for (const dispose of [() => loaded.chat.dispose(), () => loaded.context.dispose(), () => loaded.model.dispose()]) {
      try {
        await dispose();
      } catch {
        // already disposed with its parent, or torn down by an aborted evaluation
      }
    }
  }

  #library(): Promise<Llama> {
    this.#llama ??= (async () => {
      try {
        const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
        return await getLlama({
          gpu: false,
          build: 'never',
          maxThreads: this.threads,
          logLevel: LlamaLogLevel.error,
          // Kept, not printed: a failed load's reason is in here, and goes into its error.
          logger: (level, message) => {
            if (level !== LlamaLogLevel.error && level !== LlamaLogLevel.fatal) return;
            this.#errors.push(message.trim());
            if (this.#errors.length > 8) this.#errors.shift();
          },
        });
      } catch (error) {
        this.#llama = undefined;
        throw new EngineError('RUNTIME_UNAVAILABLE', `the llama.cpp runtime could not start: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
    return this.#llama;
  }

  /**
   * llama.cpp's log lines reach JavaScript on their own queue, and under load they can arrive after
   * the failed load's rejection: wait a moment for the reason (at most LOG_WAIT_MS).
   */
  async #logsSettled(): Promise<void> {
    const until = performance.now() + LOG_WAIT_MS;
    while (!this.#errors.some((line) => /error loading model/.test(line)) && performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  #why(error: unknown): string {
    const logged = this.#errors.filter((line) => !/failed to load model$/.test(line));
    return logged.length > 0 ? logged.join('; ') : error instanceof Error ? error.message : String(error);
  }
}

/** The conversation as node-llama-cpp's chat history, with the empty model turn it fills in. */
export function chatHistory(turns: readonly LlmTurn[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = turns.map((turn) =>
    turn.role === 'system' ? { type: 'system', text: turn.content } : turn.role === 'user' ? { type: 'user', text: turn.content } : { type: 'model', response: [turn.content] },
  );
  history.push({ type: 'model', response: [] });
  return history;
}
