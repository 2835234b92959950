import { NdjsonLines } from './ndjson-lines.ts';

/**
 * One provider operation's transport (specs/llm-providers.md §3). Each SDK takes it as its `fetch`
 * option, so timeouts, cancellation and transport faults are handled once, below the SDKs, and the
 * same way for all three — the SDKs' own handling differs (the OpenAI and Anthropic streams end
 * silently when aborted; the Ollama client skips lines that do not parse).
 *
 * - Timeout: a request gets `timeoutMs` to answer with headers, and every read of the body
 *   `timeoutMs` to bring the next bytes. The clock runs only while a read is waiting, so a slow
 *   consumer never looks like a stalled provider.
 * - Cancellation: the caller's signal aborts every request made through the guard.
 * - Faults are remembered as `failure`, first one wins; the provider maps it to an LlmError code,
 *   whatever error the SDK made of it.
 */
export type TransportFailure =
  | 'cancelled' // the caller's signal fired
  | 'timeout' // no headers, or no next bytes, within timeoutMs
  | 'unreachable' // the request could not be sent (connection refused, no such host)
  | 'cut' // the connection broke while the body was being read
  | 'malformed'; // an NDJSON line that is not JSON

export interface TransportGuardOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Pass only whole, parsed lines of JSON (Ollama's NDJSON); a line that does not parse fails the body. */
  readonly ndjson?: boolean;
}

/** Status and headers of the last response, for errors the SDK reports without them (Retry-After). */
export interface SeenResponse {
  readonly status: number;
  readonly headers: Headers;
}

export class TransportGuard {
  readonly #controller = new AbortController();
  readonly #options: TransportGuardOptions;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #failure: TransportFailure | undefined;
  #response: SeenResponse | undefined;
  readonly #onCallerAbort = (): void => this.#fail('cancelled');

  constructor(options: TransportGuardOptions) {
    this.#options = options;
    if (options.signal?.aborted) this.#fail('cancelled');
    else options.signal?.addEventListener('abort', this.#onCallerAbort, { once: true });
  }

  get failure(): TransportFailure | undefined {
    return this.#failure;
  }

  get response(): SeenResponse | undefined {
    return this.#response;
  }

  get timeoutMs(): number {
    return this.#options.timeoutMs;
  }

  /** A `fetch` for the SDKs: the same call, under this guard's deadline and signal. */
  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (this.#failure) throw abortError();
    const signal = init.signal ? AbortSignal.any([init.signal, this.#controller.signal]) : this.#controller.signal;
    const clear = this.#deadline();
    let response: Response;
    try {
      response = await fetch(input, { ...init, signal });
    } catch (error) {
      if (!isAbortError(error)) this.#failure ??= 'unreachable';
      throw error;
    } finally {
      clear();
    }
    this.#response = { status: response.status, headers: response.headers };
    if (!response.body) return response;
    const watched = new Response(this.#watch(response.body), { status: response.status, statusText: response.statusText, headers: response.headers });
    Object.defineProperty(watched, 'url', { value: response.url });
    return watched;
  };

  /** Ends every request still open (a finished or abandoned stream) and stops listening to the caller. */
  dispose(): void {
    this.#options.signal?.removeEventListener('abort', this.#onCallerAbort);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#controller.abort();
  }

  #fail(failure: TransportFailure): void {
    this.#failure ??= failure;
    this.#controller.abort();
  }

  #deadline(): () => void {
    const timer = setTimeout(() => this.#fail('timeout'), this.#options.timeoutMs);
    this.#timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.#timers.delete(timer);
    };
  }

  #watch(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    const reader = source.getReader();
    const lines = this.#options.ndjson ? new NdjsonLines() : undefined;
    // A bad line found after good ones in the same read fails the body on the next read, so the
    // good ones are still delivered.
    let failNext: Error | undefined;
    const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: unknown): void => {
      if (error instanceof NdjsonLines.Malformed) this.#fail('malformed');
      else if (!isAbortError(error)) this.#failure ??= 'cut';
      controller.error(error);
    };
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          if (failNext) return fail(controller, failNext);
          // Loop until something is enqueued: a pull that enqueues nothing is not called again.
          for (;;) {
            const clear = this.#deadline();
            let read: ReadableStreamReadResult<Uint8Array>;
            try {
              read = await reader.read();
            } catch (error) {
              return fail(controller, error);
            } finally {
              clear();
            }
            if (read.done) {
              try {
                const rest = lines?.end();
                if (rest?.byteLength) controller.enqueue(rest);
                controller.close();
              } catch (error) {
                fail(controller, error);
              }
              return;
            }
            if (!lines) return controller.enqueue(read.value);
            const { lines: good, malformed } = lines.push(read.value);
            if (malformed && good.byteLength === 0) return fail(controller, malformed);
            failNext = malformed;
            if (good.byteLength > 0) return controller.enqueue(good);
          }
        },
        cancel: (reason) => reader.cancel(reason),
      },
      // Read only when the client reads: an error must not overtake chunks it has not taken yet.
      { highWaterMark: 0 },
    );
  }
}

function abortError(): Error {
  return new DOMException('the operation was aborted', 'AbortError');
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
