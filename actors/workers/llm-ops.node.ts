import { LlamaEngine } from '../ai/embedded/llama-engine.node.ts';
import type { LlmGeneratePayload, LlmLoadPayload, LlmTurn, OpHandlers, WorkerOps } from './ops.ts';
import { BadRequestError, list, record } from './protocol.ts';

/**
 * The LLM worker's ops: a liveness ping, facts about the worker process, and the embedded model —
 * load, generate (streamed as progress, cancellable), unload — on one LlamaEngine that lives as
 * long as the process. The worker is a process, not a thread, because llama.cpp can abort on a
 * malformed model file (specs/workers.md §5, specs/llm-embedded.md §4).
 */
export function llmOps(engine = new LlamaEngine()): OpHandlers<WorkerOps['llm']> {
  return {
    ping: (payload) => {
      const { nonce } = record(payload);
      return { nonce: Number(nonce) };
    },
    info: () => ({
      pid: process.pid,
      node: process.version,
      rssBytes: process.memoryUsage.rss(),
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      inference: true,
      loaded: engine.loadedPath,
    }),
    load: (payload, _transfer, task) => engine.load(loadPayload(payload), task.signal),
    generate: (payload, _transfer, task) => {
      const request = generatePayload(payload);
      const text = coalesced((chunk) => task.progress({ text: chunk }));
      // Flushed before the outcome goes: no text may follow it.
      return engine.generate(request, text.push, task.signal).finally(text.flush);
    },
    unload: () => engine.unload(),
  };
}

/**
 * Text for the caller, a message at most every COALESCE_MS after the first (which goes at once, for
 * the first-token latency). Each message costs both processes CPU — on a 2-core machine that is
 * taken from llama.cpp's two threads — and the UI shows text per frame anyway.
 */
export const COALESCE_MS = 32;

function coalesced(send: (text: string) => void): { push: (text: string) => void; flush: () => void } {
  let pending = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let first = true;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending !== '') send(pending);
    pending = '';
  };
  return {
    push: (text) => {
      if (first) {
        first = false;
        send(text);
        return;
      }
      pending += text;
      timer ??= setTimeout(flush, COALESCE_MS);
    },
    flush,
  };
}

function loadPayload(value: unknown): LlmLoadPayload {
  const payload = record(value);
  if (typeof payload.modelPath !== 'string' || payload.modelPath === '') throw new BadRequestError('modelPath must be a non-empty string');
  return { modelPath: payload.modelPath, contextSize: optionalCount(payload.contextSize, 'contextSize') };
}

function generatePayload(value: unknown): LlmGeneratePayload {
  const payload = record(value);
  const messages = list(payload.messages, 'messages').map((item, i): LlmTurn => {
    const turn = record(item, `messages[${i}]`);
    if (turn.role !== 'system' && turn.role !== 'user' && turn.role !== 'assistant') throw new BadRequestError(`messages[${i}].role must be system, user or assistant`);
    if (typeof turn.content !== 'string') throw new BadRequestError(`messages[${i}].content must be a string`);
    return { role: turn.role, content: turn.content };
  });
  if (messages.length === 0) throw new BadRequestError('messages must not be empty');
  const temperature = payload.temperature;
  if (temperature !== undefined && (typeof temperature !== 'number' || !(temperature >= 0))) throw new BadRequestError('temperature must be a number ≥ 0');
  return { ...loadPayload(payload), messages, maxTokens: optionalCount(payload.maxTokens, 'maxTokens'), temperature };
}

function optionalCount(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1) throw new BadRequestError(`${name} must be a positive integer`);
  return value as number;
}
