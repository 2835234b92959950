import { describe, expect, it } from 'vitest';
import type { LlamaEngine } from '../ai/embedded/llama-engine.node.ts';
import { COALESCE_MS, llmOps } from './llm-ops.node.ts';
import type { LlmGeneratePayload, TaskContext } from './ops.ts';
import { BadRequestError } from './protocol.ts';

// The LLM worker's ops over a stand-in engine: what reaches the caller as progress, and which
// payloads are refused. The real engine runs in actors/ai/embedded/embedded-provider.node.test.ts.

/** An engine that "generates" the given pieces, `gapMs` apart. */
function engine(pieces: string[], gapMs: number): LlamaEngine {
  return {
    loadedPath: null,
    generate: async (_request: LlmGeneratePayload, onText: (text: string) => void) => {
      for (const piece of pieces) {
        onText(piece);
        await new Promise((resolve) => setTimeout(resolve, gapMs));
      }
      return { stopReason: 'end', usage: { inputTokens: 1, outputTokens: pieces.length } };
    },
  } as unknown as LlamaEngine;
}

function task(): { context: TaskContext<{ text: string }>; sent: Array<{ text: string; at: number }> } {
  const sent: Array<{ text: string; at: number }> = [];
  return { sent, context: { signal: new AbortController().signal, progress: (event) => sent.push({ ...event, at: performance.now() }) } };
}

const request = { modelPath: '/m.gguf', messages: [{ role: 'user', content: 'hi' }] };

describe('llm worker ops', () => {
  it('sends the first piece of text at once, then coalesces, all before the result', async () => {
    const pieces = Array.from({ length: 40 }, (_, i) => `t${i} `);
    const { context, sent } = task();
    const started = performance.now();
    const result = await llmOps(engine(pieces, 2)).generate(request as LlmGeneratePayload, () => {}, context);
    expect(result).toEqual({ stopReason: 'end', usage: { inputTokens: 1, outputTokens: 40 } });
    expect(sent.map((s) => s.text).join('')).toBe(pieces.join(''));
    expect(sent[0]).toMatchObject({ text: 't0 ' });
    expect(sent[0]!.at - started).toBeLessThan(COALESCE_MS);
    expect(sent.length).toBeLessThan(pieces.length / 2); // ~80 ms of pieces in a few messages
  });

  it('refuses payloads it cannot run, naming the field', () => {
    const ops = llmOps(engine([], 0));
    const { context } = task();
    const refuse = (payload: unknown) => () => ops.generate(payload as LlmGeneratePayload, () => {}, context);
    expect(refuse({ messages: request.messages })).toThrow(new BadRequestError('modelPath must be a non-empty string'));
    expect(refuse({ ...request, messages: [] })).toThrow('messages must not be empty');
    expect(refuse({ ...request, messages: [{ role: 'tool', content: 'x' }] })).toThrow('messages[0].role must be system, user or assistant');
    expect(refuse({ ...request, messages: [{ role: 'user' }] })).toThrow('messages[0].content must be a string');
    expect(refuse({ ...request, maxTokens: 0 })).toThrow('maxTokens must be a positive integer');
    expect(refuse({ ...request, temperature: -1 })).toThrow('temperature must be a number ≥ 0');
    expect(() => ops.load({ modelPath: '/m.gguf', contextSize: 1.5 }, () => {}, context)).toThrow('contextSize must be a positive integer');
  });
});
