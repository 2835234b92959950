/**
 * embedded: the embedded model through the app's path — the pool's LLM worker process, the
 * streaming protocol, the provider — on the generated SmolLM2-135M-shaped model (Q4_0, 78 MB,
 * random weights; tests/support/gguf-test-model.node.ts), against node-llama-cpp driven directly
 * in this process with the same settings, in the same run.
 *
 * Figures:
 * - embedded_load_ms: a fresh worker (already up and answering ping) loading the model: importing
 *   node-llama-cpp, starting llama.cpp, mapping the weights, allocating a 2,048-token context.
 * - embedded_first_token_ms: a short chat (system + user turn, a new conversation each time) from
 *   complete() to the first text chunk, the model loaded. Best of ROUNDS.
 * - embedded_tok_per_s: tokens after the first ÷ the time after the first, over TOKENS tokens. Best of ROUNDS.
 * - embedded_worker_peak_rss_mb: the worker process's peak resident memory.
 * - direct_first_token_ms, direct_tok_per_s: the same generation (greedy, same prompt, same thread
 *   count) with node-llama-cpp in this process, no worker, no provider.
 * - embedded_ratio_vs_direct: embedded_tok_per_s ÷ direct_tok_per_s (goal ≥ 0.95: the process
 *   boundary and the streaming protocol cost next to nothing per token).
 * - threads: one per core, as both sides use (node-llama-cpp's default would be at least 4).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, LlamaChat, LlamaLogLevel } from 'node-llama-cpp';
import { EmbeddedProvider } from '../../actors/ai/embedded/embedded-provider.ts';
import { ModelLibrary } from '../../actors/ai/embedded/model-library.node.ts';
import { chatHistory } from '../../actors/ai/embedded/llama-engine.node.ts';
import type { CompletionRequest } from '../../actors/ai/llm-provider.ts';
import { defaultKinds, startNodeWorkerPool } from '../../hosts/workers/node-pool.node.ts';
import { testModelPath } from '../support/gguf-test-model.node.ts';

const ROUNDS = 3;
const TOKENS = 128;
const CONTEXT = 2048;
const threads = Math.max(1, availableParallelism());

const messages = (round: number): CompletionRequest['messages'] => [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: `Round ${round}: tell me about the weather on the coast this week.` },
];

interface Timing {
  firstMs: number;
  tokPerS: number;
}

const best = (timings: Timing[]): Timing => ({ firstMs: Math.min(...timings.map((t) => t.firstMs)), tokPerS: Math.max(...timings.map((t) => t.tokPerS)) });

/** One answer through the provider: complete() to the first text chunk, then the rate after it. */
async function throughProvider(provider: EmbeddedProvider, model: string, round: number): Promise<Timing> {
  const start = performance.now();
  let first = 0;
  let tokens = 0;
  for await (const chunk of provider.complete({ model, messages: messages(round), maxTokens: TOKENS, temperature: 0 })) {
    if (chunk.type === 'text' && first === 0) first = performance.now();
    if (chunk.type === 'done') tokens = chunk.usage?.outputTokens ?? 0;
  }
  const end = performance.now();
  return { firstMs: first - start, tokPerS: (tokens - 1) / ((end - first) / 1000) };
}

/** The same answer from node-llama-cpp in this process, with the same settings. */
async function directly(chat: LlamaChat, round: number): Promise<Timing> {
  const turns = messages(round).map((m) => ({ role: m.role as 'system' | 'user', content: m.content }));
  const start = performance.now();
  let first = 0;
  let tokens = 0;
  await chat.generateResponse(chatHistory(turns), {
    maxTokens: TOKENS,
    temperature: 0,
    // Timed as the provider is: to the first piece of text (a token may hold half a character).
    onTextChunk: () => first === 0 && (first = performance.now()),
    onToken: (t) => (tokens += t.length),
  });
  const end = performance.now();
  return { firstMs: first - start, tokPerS: (tokens - 1) / ((end - first) / 1000) };
}

export default async function run(): Promise<Record<string, number>> {
  const modelPath = await testModelPath();
  const dataDir = await mkdtemp(join(tmpdir(), 'lama-bench-embedded-'));
  const pool = startNodeWorkerPool({ llm: defaultKinds().llm });
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: threads, logLevel: LlamaLogLevel.error });
  try {
    // No download here: the default model is never asked for; the generated one is picked.
    const library = new ModelLibrary({ dataDir });
    const model = await library.pick(modelPath);
    const provider = new EmbeddedProvider({ models: library, pool, contextSize: CONTEXT });

    await pool.run('llm', { op: 'ping', payload: { nonce: 1 } }); // the worker is up
    const loadStart = performance.now();
    await pool.run('llm', { op: 'load', payload: { modelPath: model.path, contextSize: CONTEXT } });
    const loadMs = performance.now() - loadStart;

    const direct = await llama.loadModel({ modelPath, gpuLayers: 0 });
    const context = await direct.createContext({ contextSize: CONTEXT, threads, sequences: 1 });
    const chat = new LlamaChat({ contextSequence: context.getSequence() });

    // Alternating, one at a time: a burst of load from elsewhere on the machine hits both sides alike.
    const ours: Timing[] = [];
    const theirs: Timing[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ours.push(await throughProvider(provider, model.id, round));
      theirs.push(await directly(chat, round));
    }
    const info = await pool.run('llm', { op: 'info', payload: {} });
    const [embedded, baseline] = [best(ours), best(theirs)];
    return {
      threads,
      model_mb: (await stat(modelPath)).size / 1e6,
      embedded_load_ms: loadMs,
      embedded_first_token_ms: embedded.firstMs,
      embedded_tok_per_s: embedded.tokPerS,
      embedded_worker_peak_rss_mb: info.peakRssBytes / 1e6,
      direct_first_token_ms: baseline.firstMs,
      direct_tok_per_s: baseline.tokPerS,
      embedded_ratio_vs_direct: embedded.tokPerS / baseline.tokPerS,
    };
  } finally {
    await llama.dispose();
    await pool.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
