import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { GgufServer } from '../../../tests/support/gguf-server.node.ts';
import { testModelPath } from '../../../tests/support/gguf-test-model.node.ts';
import { defaultKinds, startNodeWorkerPool } from '../../../hosts/workers/node-pool.node.ts';
import type { WorkerPool } from '../../workers/pool-client.ts';
import { isLlmError, type CompletionChunk, type CompletionRequest, type LlmError } from '../llm-provider.ts';
import type { PinnedModel } from './default-model.ts';
import { isEmbeddedError, type EmbeddedModelError } from './embedded-error.ts';
import { EmbeddedProvider, type EmbeddedStatus } from './embedded-provider.ts';
import { ModelLibrary } from './model-library.node.ts';

// The embedded provider end to end with the real runtime: node-llama-cpp in the pool's LLM worker
// process, on the generated SmolLM2-135M-shaped model (random weights: real loading, real
// streaming, gibberish text). The "hub" is a local HTTP server serving that model. One pool and
// one data folder for the file: the model is loaded once and swapped only where a test needs it.

const SLOW = 120_000; // real inference on a shared 2-core machine

let pool: WorkerPool;
let server: GgufServer;
let dataDir: string;
let pinned: PinnedModel;
let modelPath: string;

beforeAll(async () => {
  modelPath = await testModelPath();
  const bytes = new Uint8Array(await readFile(modelPath));
  server = await GgufServer.start(bytes);
  pinned = { id: 'lama-test-model.gguf', name: 'LAMA test model', url: server.url, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), licence: 'none' };
  dataDir = await mkdtemp(join(tmpdir(), 'lama-embedded-'));
  pool = startNodeWorkerPool({ llm: { ...defaultKinds().llm, timeoutMs: SLOW } });
}, SLOW);
afterAll(async () => {
  await pool?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function provider(library = new ModelLibrary({ dataDir, pinned })) {
  const statuses: EmbeddedStatus[] = [];
  const p = new EmbeddedProvider({ models: library, pool, contextSize: 512 });
  p.onStatus((s) => statuses.push(s));
  return { p, library, statuses };
}

async function collect(stream: AsyncIterable<CompletionChunk>, each?: (chunk: CompletionChunk, index: number) => void): Promise<{ chunks: CompletionChunk[]; error: unknown }> {
  const chunks: CompletionChunk[] = [];
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      each?.(chunk, chunks.length - 1);
    }
    return { chunks, error: undefined };
  } catch (error) {
    return { chunks, error };
  }
}

const ask = (model: string, extra: Partial<CompletionRequest> = {}): CompletionRequest => ({ model, messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Say hello.' }], maxTokens: 12, temperature: 0, ...extra });
const texts = (chunks: CompletionChunk[]) => chunks.filter((c) => c.type === 'text');
const workerPid = async () => (await pool.run('llm', { op: 'info', payload: {} })).pid;

describe('EmbeddedProvider with the real runtime', () => {
  it(
    'on first use downloads the default model (with progress), loads it and streams an answer with usage',
    async () => {
      const { p, statuses } = provider();
      expect(await p.listModels()).toEqual([]);
      const { chunks, error } = await collect(p.complete(ask(pinned.id)));
      expect(error).toBeUndefined();
      expect(texts(chunks).length).toBeGreaterThan(1); // streamed, not one blob
      expect(chunks.at(-1)).toEqual({ type: 'done', stopReason: 'maxTokens', usage: { inputTokens: expect.any(Number), outputTokens: 12 } });
      const downloads = statuses.filter((s) => s.state === 'downloading');
      expect(downloads.at(-1)).toEqual({ state: 'downloading', model: pinned.id, received: pinned.size, total: pinned.size });
      expect(statuses.map((s) => s.state).filter((s, i, all) => s !== all[i - 1])).toEqual(['downloading', 'loading', 'ready']);
      expect(await p.listModels()).toEqual([{ id: pinned.id, name: 'LAMA test model (random weights)', contextLength: 2048, capabilities: { tools: false } }]);
      expect(await p.health()).toMatchObject({ status: 'ok' });
    },
    SLOW,
  );

  it(
    'stops generating when the request is aborted mid-stream, or the caller leaves the stream',
    async () => {
      const { p } = provider();
      const controller = new AbortController();
      const { chunks, error } = await collect(p.complete(ask(pinned.id, { maxTokens: 2_000, signal: controller.signal })), (_, i) => i === 2 && controller.abort());
      expect(error).toBeUndefined();
      expect(texts(chunks).length).toBeLessThan(50);
      expect(chunks.at(-1)).toMatchObject({ type: 'done', stopReason: 'cancelled', usage: { outputTokens: expect.any(Number) } });

      // Leaving the loop (break) ends the task in the worker too, long before 2,000 tokens.
      const started = performance.now();
      for await (const chunk of p.complete(ask(pinned.id, { maxTokens: 2_000 }))) if (chunk.type === 'text') break;
      await waitFor(pool.actor, (s) => s.context.workers['llm-0']?.inFlight === 0, { timeout: 20_000 });
      expect(performance.now() - started).toBeLessThan(20_000);

      const early = new AbortController();
      early.abort();
      const none = await collect(p.complete(ask(pinned.id, { signal: early.signal })));
      expect(none.chunks).toEqual([]);
      expect(isLlmError(none.error, 'CANCELLED')).toBe(true);
    },
    SLOW,
  );

  it(
    'refuses damaged files with a clear error before the runtime sees them',
    async () => {
      const { library } = provider();
      const good = new Uint8Array(await readFile(modelPath));
      const truncated = join(dataDir, 'truncated.gguf');
      await writeFile(truncated, good.subarray(0, good.length / 2));
      const notGguf = join(dataDir, 'notes.gguf');
      await writeFile(notGguf, 'just some text');
      for (const [path, detail] of [
        [truncated, 'TRUNCATED'],
        [notGguf, 'BAD_MAGIC'],
      ] as const) {
        const error = (await library.pick(path).catch((e: unknown) => e)) as EmbeddedModelError;
        expect(isEmbeddedError(error, 'BAD_GGUF')).toBe(true);
        expect([error.code, error.detail]).toEqual(['PROVIDER', detail]);
        expect(error.message).toMatch(/is not a usable model: /);
      }
      expect((await library.list()).map((m) => m.id)).toEqual([pinned.id]);
    },
    SLOW,
  );

  it(
    'reports a model llama.cpp refuses as LOAD_FAILED with its reason, and one that aborts llama.cpp as RUNTIME_CRASHED — the app lives on and the next answer comes',
    async () => {
      const { p, library } = provider();
      const before = await workerPid();

      const wrongShape = await library.pick(await testModelPath({ defect: 'wrong-shape' }));
      const refused = await collect(p.complete(ask(wrongShape.id)));
      expect(refused.chunks).toEqual([]);
      expect(refused.error).toMatchObject({ code: 'PROVIDER', reason: 'LOAD_FAILED', message: expect.stringContaining("tensor 'blk.0.attn_q.weight' has wrong shape") });
      expect(await workerPid()).toBe(before); // a clean error: same process

      const poisoned = await library.pick(await testModelPath({ defect: 'duplicate-token' }));
      const crashed = await collect(p.complete(ask(poisoned.id)));
      expect(crashed.chunks).toEqual([]);
      expect(crashed.error).toMatchObject({ code: 'PROVIDER', reason: 'RUNTIME_CRASHED', message: expect.stringMatching(/SIGABRT.*restarts on the next request/) });
      expect(p.status).toMatchObject({ state: 'failed', model: poisoned.id });

      const after = await collect(p.complete(ask(pinned.id)));
      expect(after.chunks.at(-1)).toMatchObject({ type: 'done', stopReason: 'maxTokens' });
      expect(await workerPid()).not.toBe(before);
      expect(p.status).toEqual({ state: 'ready', model: pinned.id });
    },
    SLOW,
  );

  it(
    'warms a model that is here, in the background, and the next answer needs no load',
    async () => {
      await pool.run('llm', { op: 'unload', payload: {} });
      const { p, statuses } = provider();
      await p.warm();
      expect(statuses.map((s) => s.state)).toEqual(['loading', 'ready']);
      expect((await pool.run('llm', { op: 'info', payload: {} })).loaded).toMatch(/lama-test-model\.gguf$/);
      const { chunks } = await collect(p.complete(ask(pinned.id)));
      expect(chunks.at(-1)).toMatchObject({ type: 'done' });
      expect(statuses.map((s) => s.state)).toEqual(['loading', 'ready']); // no second load

      const { p: absent, statuses: none } = provider(new ModelLibrary({ dataDir: join(dataDir, 'empty'), pinned }));
      await absent.warm();
      expect(none).toEqual([]); // nothing to load, nothing downloaded
    },
    SLOW,
  );

  it('says NOT_DOWNLOADED, plainly, when the default model is absent and its server unreachable', async () => {
    const closed = await GgufServer.start(new Uint8Array(1));
    const url = closed.url;
    await closed.close();
    const { p } = provider(new ModelLibrary({ dataDir: join(dataDir, 'offline'), pinned: { ...pinned, url } }));
    const { chunks, error } = await collect(p.complete(ask(pinned.id)));
    expect(chunks).toEqual([]);
    expect(isEmbeddedError(error, 'DOWNLOAD_FAILED')).toBe(true);
    expect([(error as EmbeddedModelError).code, (error as EmbeddedModelError).detail]).toEqual(['NOT_DOWNLOADED', 'UNREACHABLE']);
    expect((error as Error).message).toMatch(/^The embedded model \(LAMA test model, 78 MB\) is not on this computer yet, and the download server cannot be reached \(.*ECONNREFUSED\)\. Connect to the internet once/);

    const unknown = await collect(p.complete(ask('no-such-model.gguf')));
    expect(isEmbeddedError(unknown.error, 'UNKNOWN_MODEL')).toBe(true);
    expect((unknown.error as LlmError).code).toBe('MODEL_MISSING');
  });
});
