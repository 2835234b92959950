import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LlmError, type CompletionChunk, type CompletionRequest, type LlmErrorCode, type LlmProvider, type ProviderConfig } from '../llm-provider.ts';
import { tokens } from '../../../tests/support/stand-ins/script.ts';
import type { StandInServer } from '../../../tests/support/stand-ins/stand-in-server.node.ts';

/**
 * The contract every remote provider passes against its stand-in (specs/llm-providers.md §2, §4),
 * in the manner of the storage adapters' shared suite: text in chunks, tool calls parsed while
 * streaming, usage, each failure mapped to its code, cancellation, no retries, and the API key in
 * no error and no log line. Provider-specific wire details are tested beside each provider.
 */
export interface ProviderHarness {
  readonly standIn: StandInServer;
  /** The key the stand-in expects (Ollama's stand-in plays an authenticating proxy). */
  readonly apiKey: string;
  /** A model the stand-in reports. */
  readonly model: string;
  /** A provider aimed at the stand-in, with the right key unless overridden. */
  provider(overrides?: Partial<ProviderConfig>): LlmProvider;
}

/** A key nobody could mistake: found anywhere, it leaked. */
export const LEAK_KEY = 'sk-lama-LEAKCHECK-5e1f0c7a9b3d4e2f';

export interface Outcome {
  readonly chunks: CompletionChunk[];
  readonly error: unknown;
}

export async function run(stream: AsyncIterable<CompletionChunk>, onChunk?: (chunk: CompletionChunk, index: number) => void | Promise<void>): Promise<Outcome> {
  const chunks: CompletionChunk[] = [];
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      await onChunk?.(chunk, chunks.length - 1);
    }
    return { chunks, error: undefined };
  } catch (error) {
    return { chunks, error };
  }
}

export function texts(chunks: readonly CompletionChunk[]): string[] {
  return chunks.flatMap((chunk) => (chunk.type === 'text' ? [chunk.text] : []));
}

export function expectCode(error: unknown, code: LlmErrorCode): LlmError {
  expect(error).toBeInstanceOf(LlmError);
  expect({ code: (error as LlmError).code, message: (error as LlmError).message }).toMatchObject({ code });
  return error as LlmError;
}

/** The key is nowhere in what an error shows: message, stack, JSON, string form, cause. */
export function expectNoKey(error: unknown, key: string): void {
  const views = [String(error), JSON.stringify(error), error instanceof Error ? `${error.message}\n${error.stack ?? ''}\n${String(error.cause ?? '')}` : ''];
  for (const view of views) expect(view).not.toContain(key);
}

/** A port on 127.0.0.1 where nothing listens. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function runProviderContractTests(title: string, start: () => Promise<ProviderHarness>): void {
  describe(`${title}: the LlmProvider contract`, () => {
    let h: ProviderHarness;
    const request = (extra: Partial<CompletionRequest> = {}): CompletionRequest => ({ model: h.model, messages: [{ role: 'user', content: 'Hi' }], ...extra });

    beforeEach(async () => {
      h = await start();
    });
    afterEach(async () => {
      await h.standIn.close();
    });

    it('streams text chunk by chunk and ends with one done carrying the usage', async () => {
      h.standIn.reply({ text: ['Hel', 'lo, ', 'Ada.'], usage: { inputTokens: 21, outputTokens: 3 } });
      const { chunks, error } = await run(h.provider().complete(request()));
      expect(error).toBeUndefined();
      expect(texts(chunks)).toEqual(['Hel', 'lo, ', 'Ada.']);
      expect(chunks.at(-1)).toEqual({ type: 'done', stopReason: 'end', usage: { inputTokens: 21, outputTokens: 3 } });
      expect(chunks.filter((chunk) => chunk.type === 'done')).toHaveLength(1);
    });

    it('streams 2,000 chunks written as fast as the socket takes them, none lost or reordered', async () => {
      h.standIn.reply({ text: tokens(2_000) });
      const { chunks, error } = await run(h.provider().complete(request()));
      expect(error).toBeUndefined();
      expect(texts(chunks).join('')).toBe(tokens(2_000).join(''));
    });

    it('reports a length stop as maxTokens', async () => {
      h.standIn.reply({ text: ['cut short'], stopReason: 'maxTokens' });
      const { chunks } = await run(h.provider().complete(request({ maxTokens: 2 })));
      expect(chunks.at(-1)).toMatchObject({ type: 'done', stopReason: 'maxTokens' });
    });

    it('hands tool calls on whole and parsed, never as text', async () => {
      const args = { path: '/home/ada/notes.md', lines: [1, 2, 3], options: { follow: true, note: 'a "quoted" word' } };
      h.standIn.reply({ text: ['Let me look.'], toolCalls: [{ id: 'call_a', name: 'read_file', arguments: args, pieces: 5 }, { id: 'call_b', name: 'list_dir', arguments: {} }] });
      const { chunks, error } = await run(h.provider().complete(request({ tools: [{ name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }] })));
      expect(error).toBeUndefined();
      expect(texts(chunks)).toEqual(['Let me look.']);
      const calls = chunks.flatMap((chunk) => (chunk.type === 'toolCall' ? [chunk.call] : []));
      expect(calls.map(({ name, arguments: a }) => ({ name, arguments: a }))).toEqual([
        { name: 'read_file', arguments: args },
        { name: 'list_dir', arguments: {} },
      ]);
      expect(new Set(calls.map((call) => call.id)).size).toBe(2);
      expect(chunks.at(-1)).toMatchObject({ type: 'done', stopReason: 'toolUse' });
    });

    it('lists the models the server reports', async () => {
      const models = await h.provider().listModels();
      expect(models.map((model) => model.id)).toEqual(h.standIn.models.filter((model) => !model.embedding).map((model) => model.id));
    });

    it('is healthy when the server answers, and says how fast', async () => {
      const health = await h.provider().health();
      expect(health.status).toBe('ok');
      expect(health.status === 'ok' && health.latencyMs).toBeGreaterThanOrEqual(0);
    });

    describe('failures, each with its code', () => {
      it('UNREACHABLE when nothing listens, for completions, the model list and health', async () => {
        const provider = h.provider({ endpoint: `http://127.0.0.1:${await closedPort()}` });
        expectCode((await run(provider.complete(request()))).error, 'UNREACHABLE');
        await expect(provider.listModels()).rejects.toMatchObject({ code: 'UNREACHABLE' });
        expect(await provider.health()).toMatchObject({ status: 'unreachable' });
      });

      it('UNREACHABLE when the connection is dropped before any answer', async () => {
        h.standIn.fail({ cut: true });
        expectCode((await run(h.provider().complete(request()))).error, 'UNREACHABLE');
      });

      it('UNAUTHORIZED for a wrong key (401) and a refused one (403); health says unauthorized', async () => {
        const wrong = h.provider({ apiKey: 'sk-wrong' });
        expectCode((await run(wrong.complete(request()))).error, 'UNAUTHORIZED');
        expect(await wrong.health()).toMatchObject({ status: 'unauthorized' });
        h.standIn.fail({ status: 403 });
        expectCode((await run(h.provider().complete(request()))).error, 'UNAUTHORIZED');
      });

      it('RATE_LIMITED with retryAfterMs from Retry-After, and no retry of its own', async () => {
        h.standIn.fail({ status: 429, retryAfter: '7' }).reply({ text: ['never sent'] });
        const error = expectCode((await run(h.provider().complete(request()))).error, 'RATE_LIMITED');
        expect(error.retryAfterMs).toBe(7000);
        expect(h.standIn.chats).toHaveLength(1);
      });

      it('MODEL_MISSING for a model the server does not have', async () => {
        expectCode((await run(h.provider().complete(request({ model: 'no-such-model:7b' })))).error, 'MODEL_MISSING');
      });

      it('PROVIDER for a server error, sent once only (no automatic retry)', async () => {
        h.standIn.fail({ status: 500 });
        expectCode((await run(h.provider().complete(request()))).error, 'PROVIDER');
        h.standIn.fail({ status: 503 });
        expectCode((await run(h.provider().complete(request()))).error, 'PROVIDER');
        expect(h.standIn.chats).toHaveLength(2);
      });

      it('PROVIDER for the provider’s own error in the middle of the stream, after the text before it', async () => {
        h.standIn.reply({ text: ['one', 'two', 'three'], fault: { kind: 'error', afterChunks: 2, message: 'Overloaded' } });
        const { chunks, error } = await run(h.provider().complete(request()));
        expect(texts(chunks)).toEqual(['one', 'two']);
        expectCode(error, 'PROVIDER');
      });

      it('TIMEOUT when the server accepts the request and never answers', async () => {
        h.standIn.fail({ stall: true });
        const started = Date.now();
        expectCode((await run(h.provider({ timeoutMs: 200 }).complete(request()))).error, 'TIMEOUT');
        expect(Date.now() - started).toBeLessThan(2_000);
      });

      it('TIMEOUT when the stream stalls between chunks, keeping the text before it', async () => {
        h.standIn.reply({ text: ['a', 'b', 'c'], fault: { kind: 'stall', afterChunks: 2 } });
        const { chunks, error } = await run(h.provider({ timeoutMs: 200 }).complete(request()));
        expect(texts(chunks)).toEqual(['a', 'b']);
        expectCode(error, 'TIMEOUT');
      });

      it('no TIMEOUT for a consumer slower than the timeout: only the provider’s silence counts', async () => {
        h.standIn.reply({ text: ['slow', ' reader'] });
        const { chunks, error } = await run(h.provider({ timeoutMs: 300 }).complete(request()), () => new Promise((resolve) => setTimeout(resolve, 700)));
        expect(error).toBeUndefined();
        expect(texts(chunks)).toEqual(['slow', ' reader']);
      });

      it('MALFORMED_STREAM for garbage in the stream', async () => {
        h.standIn.reply({ text: ['fine', 'then'], fault: { kind: 'garbage', afterChunks: 1 } });
        const { chunks, error } = await run(h.provider().complete(request()));
        expect(texts(chunks)).toEqual(['fine']);
        expectCode(error, 'MALFORMED_STREAM');
      });

      it('MALFORMED_STREAM for a stream that ends without its terminal event', async () => {
        h.standIn.reply({ text: ['almost', 'there'], fault: { kind: 'end', afterChunks: 2 } });
        const { chunks, error } = await run(h.provider().complete(request()));
        expect(texts(chunks)).toEqual(['almost', 'there']);
        expectCode(error, 'MALFORMED_STREAM');
      });

      it('MALFORMED_STREAM for a connection cut mid-stream', async () => {
        h.standIn.reply({ text: ['one', 'two'], fault: { kind: 'cut', afterChunks: 1 } });
        const { chunks, error } = await run(h.provider().complete(request()));
        expect(texts(chunks)).toEqual(['one']);
        expectCode(error, 'MALFORMED_STREAM');
      });

      it('MALFORMED_STREAM for tool arguments that are not JSON, with nothing of them shown', async () => {
        h.standIn.reply({ toolCalls: [{ name: 'read_file', arguments: {}, rawArguments: '{"path": "/tmp/x", ' }] });
        const { chunks, error } = await run(h.provider().complete(request()));
        expect(chunks.filter((chunk) => chunk.type !== 'text' || chunk.text.includes('path'))).toEqual([]);
        expectCode(error, 'MALFORMED_STREAM');
      });
    });

    describe('cancellation', () => {
      it('throws CANCELLED when aborted before the first chunk, without sending anything', async () => {
        const controller = new AbortController();
        controller.abort();
        expectCode((await run(h.provider().complete(request({ signal: controller.signal })))).error, 'CANCELLED');
        expect(h.standIn.chats).toHaveLength(0);
      });

      it('throws CANCELLED when aborted while waiting for the answer', async () => {
        h.standIn.fail({ stall: true });
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 50);
        expectCode((await run(h.provider().complete(request({ signal: controller.signal })))).error, 'CANCELLED');
      });

      it('ends with done: cancelled when aborted mid-stream, and shows nothing after the abort', async () => {
        h.standIn.reply({ text: ['one', 'two', 'three', 'four'], chunkDelayMs: 40 });
        const controller = new AbortController();
        const { chunks, error } = await run(h.provider().complete(request({ signal: controller.signal })), (_, index) => {
          if (index === 0) controller.abort();
        });
        expect(error).toBeUndefined();
        expect(chunks).toEqual([{ type: 'text', text: 'one' }, { type: 'done', stopReason: 'cancelled' }]);
      });
    });

    describe('the API key', () => {
      it('appears in no error and no log line, whatever fails', async () => {
        const standIn = h.standIn;
        const logged: string[] = [];
        for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
        try {
          const keyed = (overrides: Partial<ProviderConfig> = {}) => h.provider({ apiKey: LEAK_KEY, timeoutMs: 5_000, ...overrides });
          const errors: unknown[] = [];
          // A wrong key (the OpenAI-compatible stand-in echoes it in its message, as OpenAI does).
          errors.push((await run(keyed().complete(request()))).error);
          await keyed().listModels().catch((error: unknown) => errors.push(error));
          const health = await keyed().health();
          expect(JSON.stringify(health)).not.toContain(LEAK_KEY);
          for (const fault of [{ status: 429, retryAfter: '1' }, { status: 500, message: `upstream rejected ${LEAK_KEY}` }, { cut: true as const }]) {
            standIn.fail(fault);
            errors.push((await run(keyed().complete(request()))).error);
          }
          standIn.fail({ stall: true });
          errors.push((await run(keyed({ timeoutMs: 200 }).complete(request()))).error);
          standIn.fail({ status: 400, message: `bad request from key ${LEAK_KEY}` });
          errors.push((await run(keyed().complete(request()))).error);
          errors.push((await run(keyed({ endpoint: `http://127.0.0.1:${await closedPort()}` }).complete(request()))).error);
          const controller = new AbortController();
          controller.abort();
          errors.push((await run(keyed().complete(request({ signal: controller.signal })))).error);
          expect(errors.length).toBeGreaterThanOrEqual(9);
          for (const error of errors) {
            expect(error).toBeInstanceOf(LlmError);
            expectNoKey(error, LEAK_KEY);
          }
          // The faults echoing the key were really seen and reported, with the key taken out.
          expect(errors.some((error) => (error as Error).message.includes('[redacted]'))).toBe(true);
        } finally {
          vi.restoreAllMocks();
        }
        for (const line of logged) expect(line).not.toContain(LEAK_KEY);
      });
    });
  });
}
