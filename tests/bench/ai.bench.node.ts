import { createRemoteProvider } from '../../actors/ai/providers/create-provider.ts';
import type { CompletionChunk, CompletionRequest, LlmProvider } from '../../actors/ai/llm-provider.ts';
import type { SHA256Hash } from '../../actors/store/hash.ts';
import type { PayloadOf } from '../../hosts/ipc/channels.ts';
import { connectAsPage } from '../support/node-control-client.node.ts';
import { OllamaStandIn } from '../support/stand-ins/ollama-stand-in.node.ts';
import { tokens } from '../support/stand-ins/script.ts';
import { startTestHost } from '../support/test-host.node.ts';
import { percentile } from './browser-kit.node.ts';
import embeddedBench from './embedded.bench.node.ts';
import mcpBench from './mcp.bench.node.ts';

/**
 * `ai` (issue 6): a stand-in provider (Ollama's NDJSON wire format, through the `ollama` SDK)
 * streams 2,000 tokens as fast as it can.
 * - `stream_ratio_vs_provider`: tokens/s through the whole pipeline — provider → AI listener
 *   statechart → status:aiStream over the host's control socket to a page client — against the
 *   provider alone (the same SDK call, drained), same run. Goal ≥ 0.9.
 * - `token_to_ui_p99_ms`: for each token, from the provider yielding it in the Node host to the
 *   page client receiving a status push that holds it. Goal < 50.
 * Then the embedded model's figures (`embedded_load_ms`, `embedded_first_token_ms`,
 * `embedded_tok_per_s`, tests/bench/embedded.bench.node.ts) and `mcp_read_p50_ms`
 * (tests/bench/mcp.bench.node.ts), so `npm run bench -- ai` reports the whole issue.
 */
const TOKENS = 2_000;
const MODEL = 'bench:1b';

/** The provider, recording when each chunk was yielded (by the text length it completes). */
function timed(provider: LlmProvider, yielded: { length: number; at: number }[]): LlmProvider {
  return {
    id: provider.id,
    kind: provider.kind,
    listModels: (signal) => provider.listModels(signal),
    health: (signal) => provider.health(signal),
    async *complete(request: CompletionRequest): AsyncIterable<CompletionChunk> {
      let length = 0;
      for await (const chunk of provider.complete(request)) {
        if (chunk.type === 'text') {
          length += chunk.text.length;
          yielded.push({ length, at: performance.now() });
        }
        yield chunk;
      }
    },
  };
}

export default async function ai(): Promise<Record<string, number>> {
  const streaming = await streamingFigures();
  const embedded = await embeddedBench();
  const mcp = await mcpBench();
  return { ...streaming, ...embedded, ...mcp };
}

export async function streamingFigures(): Promise<Record<string, number>> {
  const ollama = await OllamaStandIn.start({ models: [{ id: MODEL, contextLength: 8192 }] });
  const yielded: { length: number; at: number }[] = [];
  const { host, dispose } = await startTestHost({
    detectLocalProviders: false,
    configureAi: async (manager) => {
      await manager.register(timed(createRemoteProvider({ id: 'bench', kind: 'ollama', endpoint: ollama.url }), yielded));
    },
  });
  try {
    await host.provision({ name: 'Bench', passphrase: 'bench pass phrase' });
    // The provider alone: the same request through the same SDK, drained as fast as it comes.
    const alone = createRemoteProvider({ id: 'alone', kind: 'ollama', endpoint: ollama.url });
    const providerRuns: number[] = [];
    for (let run = 0; run < 3; run++) {
      ollama.reply({ text: tokens(TOKENS) });
      let first = 0;
      let count = 0;
      for await (const chunk of alone.complete({ model: MODEL, messages: [{ role: 'user', content: 'go' }] })) {
        if (chunk.type !== 'text') continue;
        if (count++ === 0) first = performance.now();
      }
      providerRuns.push((count - 1) / ((performance.now() - first) / 1000));
    }

    // The pipeline: a message in a topic with the AI contact, answered by the listener.
    const ai = await waitForContact(host);
    const { idHash: topic } = await host.chat()!.createTopic({ name: 'Bench', participants: [ai] });
    const page = await connectAsPage(host.url);
    const pipelineRuns: number[] = [];
    const latencies: number[] = [];
    try {
      for (let run = 0; run < 3; run++) {
        const received: { length: number; at: number }[] = [];
        const done = new Promise<void>((resolve) => {
          const off = page.on('status:aiStream', (event: PayloadOf<'status:aiStream'>) => {
            if (event.topic !== topic) return;
            if (event.phase === 'streaming') received.push({ length: event.text.length, at: performance.now() });
            if (event.phase === 'done' || event.phase === 'failed') {
              off();
              resolve();
            }
          });
        });
        yielded.length = 0;
        ollama.reply({ text: tokens(TOKENS) });
        await host.chat()!.send(topic, `run ${run}`);
        await done;
        const first = yielded[0]!.at;
        const last = received.at(-1)!;
        if (last.length !== yielded.at(-1)!.length) throw new Error(`the UI saw ${last.length} of ${yielded.at(-1)!.length} characters`);
        pipelineRuns.push((yielded.length - 1) / ((last.at - first) / 1000));
        let r = 0;
        for (const token of yielded) {
          while (received[r]!.length < token.length) r++;
          latencies.push(received[r]!.at - token.at);
        }
      }
    } finally {
      await page.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const sorted = latencies.sort((a, b) => a - b);
    return {
      tokens: TOKENS,
      provider_tok_per_s: median(providerRuns),
      pipeline_tok_per_s: median(pipelineRuns),
      stream_ratio_vs_provider: median(pipelineRuns) / median(providerRuns),
      token_to_ui_p50_ms: percentile(sorted, 50),
      token_to_ui_p99_ms: percentile(sorted, 99),
    };
  } finally {
    await dispose();
    await ollama.close();
  }
}

async function waitForContact(host: Awaited<ReturnType<typeof startTestHost>>['host']): Promise<SHA256Hash> {
  for (let i = 0; i < 200; i++) {
    const [contact] = (await host.ai()?.contacts.list()) ?? [];
    if (contact) return contact.personId;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('no AI contact for the stand-in model');
}
