import { afterEach, describe, expect, it } from 'vitest';
import { InProcessWorkerHandle } from '../../workers/in-process-handle.ts';
import { workerOps, type LlmGeneratePayload, type OpHandlers, type WorkerOps } from '../../workers/ops.ts';
import { startWorkerPool, type WorkerPool } from '../../workers/pool-client.ts';
import { WorkerError, type WorkerErrorCode } from '../../workers/worker-error.ts';
import { isLlmError, LlmError, type CompletionChunk, type LlmErrorCode } from '../llm-provider.ts';
import { EmbeddedModelError, isEmbeddedError, type EmbeddedFailure } from './embedded-error.ts';
import type { EmbeddedModel, EmbeddedModels } from './embedded-models.ts';
import { EmbeddedProvider, toLlmError, type EmbeddedStatus } from './embedded-provider.ts';

// The provider's own logic over a scripted LLM worker (in-process, the real serve loop and pool):
// chunks, usage, cancellation, failures mapped to LlmErrors, status. In Node and Chromium alike.
// With the real runtime: embedded-provider.node.test.ts.

const model: EmbeddedModel = { id: 'm.gguf', path: '/models/m.gguf', name: 'M', contextLength: 2048, origin: 'default' };
const models: EmbeddedModels = {
  defaultModelId: model.id,
  list: async () => [model],
  ensure: async (id) => {
    if (id !== model.id) throw new EmbeddedModelError('MODEL_MISSING', 'UNKNOWN_MODEL', `no ${id}`);
    return model;
  },
};

/** What the scripted worker does on `generate`: send these chunks, then answer or fail. */
interface Script {
  chunks: string[];
  /** Wait for cancellation after the chunks (a long generation the caller stops). */
  hold?: boolean;
  fail?: Error;
}

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

function start(script: Script, options: { maxRestarts?: number } = {}) {
  const seen: LlmGeneratePayload[] = [];
  const handlers: OpHandlers<WorkerOps['llm']> = {
    ping: ({ nonce }) => ({ nonce }),
    info: () => ({ pid: 1, node: 'fake', rssBytes: 0, peakRssBytes: 0, inference: true, loaded: null }),
    load: ({ modelPath }) => ({ modelPath, contextSize: 512, trainContextSize: 2048, threads: 2, loadMs: 1 }),
    unload: () => ({ unloaded: null }),
    generate: async (payload, _transfer, task) => {
      seen.push(payload);
      for (const text of script.chunks) task.progress({ text });
      if (script.hold) await new Promise((resolve) => task.signal.addEventListener('abort', resolve, { once: true }));
      if (script.fail) throw script.fail;
      return { stopReason: task.signal.aborted ? 'cancelled' : 'end', usage: { inputTokens: 7, outputTokens: script.chunks.length } };
    },
  };
  const handles: Array<InProcessWorkerHandle<WorkerOps['llm']>> = [];
  pool = startWorkerPool({
    table: workerOps,
    kinds: { llm: { workers: 1, queueCapacity: 4, timeoutMs: 5_000, maxBatch: 1, maxInFlight: 1 } },
    maxRestarts: options.maxRestarts,
    open: () => {
      const handle = new InProcessWorkerHandle('llm', handlers);
      handles.push(handle);
      return handle;
    },
  });
  const statuses: EmbeddedStatus[] = [];
  const provider = new EmbeddedProvider({ models, pool });
  provider.onStatus((s) => statuses.push(s));
  return { provider, seen, statuses, handles };
}

async function collect(stream: AsyncIterable<CompletionChunk>, each?: (index: number) => void) {
  const chunks: CompletionChunk[] = [];
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      each?.(chunks.length - 1);
    }
    return { chunks, error: undefined as unknown };
  } catch (error) {
    return { chunks, error };
  }
}

describe('EmbeddedProvider over a scripted worker', () => {
  it('streams each piece of text as it comes, then one done with the usage', async () => {
    const { provider, seen, statuses } = start({ chunks: ['Hel', 'lo', '!'] });
    const { chunks, error } = await collect(
      provider.complete({
        model: model.id,
        maxTokens: 9,
        temperature: 0.2,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Read my notes' },
          { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'read_file', arguments: { path: 'notes.md' } }] },
          { role: 'tool', toolCallId: 'c1', content: 'milk, eggs' },
        ],
      }),
    );
    expect(error).toBeUndefined();
    expect(chunks).toEqual([
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo' },
      { type: 'text', text: '!' },
      { type: 'done', stopReason: 'end', usage: { inputTokens: 7, outputTokens: 3 } },
    ]);
    // Earlier tool use (from another provider) reaches the model as text.
    expect(seen[0]).toEqual({
      modelPath: model.path,
      contextSize: undefined,
      maxTokens: 9,
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Read my notes' },
        { role: 'assistant', content: '[called tool read_file (c1) with {"path":"notes.md"}]' },
        { role: 'user', content: '[result of tool call c1]\nmilk, eggs' },
      ],
    });
    expect(statuses).toEqual([
      { state: 'loading', model: model.id },
      { state: 'ready', model: model.id },
    ]);
  });

  it('ends with done: cancelled once text came, and throws CANCELLED when none did', async () => {
    const { provider } = start({ chunks: ['a', 'b'], hold: true });
    const controller = new AbortController();
    const partial = await collect(provider.complete({ model: model.id, messages: [{ role: 'user', content: 'go' }], signal: controller.signal }), (i) => i === 1 && controller.abort());
    expect(partial.chunks.map((c) => c.type)).toEqual(['text', 'text', 'done']);
    expect(partial.chunks.at(-1)).toEqual({ type: 'done', stopReason: 'cancelled', usage: { inputTokens: 7, outputTokens: 2 } });

    const { provider: silent } = start({ chunks: [], hold: true });
    const quiet = new AbortController();
    const stream = collect(silent.complete({ model: model.id, messages: [{ role: 'user', content: 'go' }], signal: quiet.signal }));
    setTimeout(() => quiet.abort(), 20);
    const nothing = await stream;
    expect(nothing.chunks).toEqual([]);
    expect(isLlmError(nothing.error, 'CANCELLED')).toBe(true);
  });

  it('throws after the text it got when the worker fails midway, and shows the failure', async () => {
    const { provider, statuses } = start({ chunks: ['par', 'tial'], fail: new Error('out of memory') });
    const { chunks, error } = await collect(provider.complete({ model: model.id, messages: [{ role: 'user', content: 'go' }] }));
    expect(chunks).toEqual([
      { type: 'text', text: 'par' },
      { type: 'text', text: 'tial' },
    ]);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).code).toBe('PROVIDER');
    expect((error as LlmError).message).toContain('out of memory');
    expect(statuses.at(-1)).toMatchObject({ state: 'failed', model: model.id });
  });

  it('passes the model list on without tools, says MODEL_MISSING for another model, and is healthy while the worker answers', async () => {
    const { provider } = start({ chunks: [] });
    expect(await provider.listModels()).toEqual([{ id: 'm.gguf', name: 'M', contextLength: 2048, capabilities: { tools: false } }]);
    const missing = await collect(provider.complete({ model: 'other.gguf', messages: [{ role: 'user', content: 'go' }] }));
    expect(isEmbeddedError(missing.error, 'UNKNOWN_MODEL')).toBe(true);
    expect(await provider.health()).toMatchObject({ status: 'ok' });
    await pool!.close();
    expect(await provider.health()).toMatchObject({ status: 'error', message: expect.stringContaining('does not answer') });
  });
});

describe('EmbeddedProvider.health', () => {
  it('is ok at once while the worker is busy answering (a ping would wait behind the answer)', async () => {
    const { provider } = start({ chunks: ['a'], hold: true });
    const controller = new AbortController();
    const stream = collect(provider.complete({ model: model.id, messages: [{ role: 'user', content: 'go' }], signal: controller.signal }));
    await new Promise<void>((resolve) => {
      const poll = () => (pool!.status().kinds.llm?.workers[0]?.state === 'busy' ? resolve() : setTimeout(poll, 1));
      poll();
    });
    expect(await provider.health()).toMatchObject({ status: 'ok' });
    controller.abort();
    expect((await stream).chunks.at(-1)).toMatchObject({ type: 'done', stopReason: 'cancelled' });
  });

  it('says the process was given up after crashing again and again', async () => {
    const { provider, handles } = start({ chunks: [] }, { maxRestarts: 0 });
    await provider.health(); // the worker is up
    handles[0]!.crash('killed by SIGABRT');
    await new Promise<void>((resolve) => {
      const poll = () => (pool!.status().kinds.llm?.workers[0]?.state === 'failed' ? resolve() : setTimeout(poll, 1));
      poll();
    });
    expect(await provider.health()).toEqual({ status: 'error', message: expect.stringMatching(/kept crashing and was stopped \(killed by SIGABRT\); restart LAMA/) });
  });
});

describe('toLlmError', () => {
  const failure = (code: WorkerErrorCode, message = `llm.generate: ${code}`, detail?: { name?: string; code?: string }) => new WorkerError({ code, message, detail });
  const cases: Array<[WorkerError, LlmErrorCode, EmbeddedFailure | undefined]> = [
    [failure('CANCELLED'), 'CANCELLED', undefined],
    [failure('TIMEOUT'), 'TIMEOUT', undefined],
    [failure('WORKER_CRASHED', 'worker llm-0 crashed during llm.load (the worker process was killed by SIGABRT); not retried'), 'PROVIDER', 'RUNTIME_CRASHED'],
    [failure('QUEUE_FULL'), 'RATE_LIMITED', 'BUSY'],
    [failure('NO_WORKERS'), 'PROVIDER', 'RUNTIME_UNAVAILABLE'],
    [failure('POOL_STOPPED'), 'PROVIDER', 'RUNTIME_UNAVAILABLE'],
    [failure('TASK_FAILED', 'llm.load: llama.cpp could not load x', { name: 'EngineError', code: 'LOAD_FAILED' }), 'PROVIDER', 'LOAD_FAILED'],
    [failure('TASK_FAILED', 'llm.load: no model file at x', { name: 'EngineError', code: 'MODEL_FILE_MISSING' }), 'MODEL_MISSING', 'FILE_MISSING'],
    [failure('TASK_FAILED', 'llm.load: no binary', { name: 'EngineError', code: 'RUNTIME_UNAVAILABLE' }), 'PROVIDER', 'RUNTIME_UNAVAILABLE'],
    [failure('TASK_FAILED', 'llm.generate: boom', { name: 'Error' }), 'PROVIDER', undefined],
    [failure('BAD_REQUEST'), 'PROVIDER', undefined],
  ];
  for (const [error, code, reason] of cases) {
    it(`maps ${error.code}${error.detail?.code ? ` (${error.detail.code})` : ''} to ${code}${reason ? ` / ${reason}` : ''}`, () => {
      const mapped = toLlmError(error, model, 'loading');
      expect(mapped.code).toBe(code);
      if (reason) expect(isEmbeddedError(mapped, reason)).toBe(true);
      expect(mapped.message).not.toMatch(/^llm\./); // the op name is not for people
    });
  }

  it('says what the crashed process was doing, and that it restarts', () => {
    const crashed = toLlmError(failure('WORKER_CRASHED', 'worker llm-0 crashed during llm.load (the worker process was killed by SIGABRT); not retried'), model, 'loading');
    expect(crashed.message).toBe('the local model process stopped while loading m.gguf (the worker process was killed by SIGABRT); the file may be damaged or need a newer llama.cpp. The process restarts on the next request.');
  });
});
