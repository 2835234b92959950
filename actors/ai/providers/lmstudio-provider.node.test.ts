import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiStandIn } from '../../../tests/support/stand-ins/openai-stand-in.node.ts';
import { LmStudioProvider } from './lmstudio-provider.ts';
import { expectCode, run, runProviderContractTests } from './provider-contract-tests.node.ts';

const KEY = 'lm-studio-token-3c1d';
const MODELS = [{ id: 'qwen2.5-7b-instruct' }, { id: 'lmstudio-community/gemma-3-4b-it' }, { id: 'nomic-embed-text-v1.5', embedding: true }];

runProviderContractTests('LM Studio', async () => {
  const standIn = await OpenAiStandIn.start({ apiKey: KEY, models: MODELS });
  return { standIn, apiKey: KEY, model: 'qwen2.5-7b-instruct', provider: (overrides = {}) => new LmStudioProvider({ id: 'lms', kind: 'lmstudio', endpoint: `${standIn.url}/v1`, apiKey: KEY, ...overrides }) };
});

describe('LM Studio on the wire', () => {
  let standIn: OpenAiStandIn;
  afterEach(() => standIn.close());

  it('takes the endpoint with or without /v1, and sends LM Studio’s placeholder key when none is set', async () => {
    standIn = await OpenAiStandIn.start({ models: MODELS });
    const models = await new LmStudioProvider({ id: 'l', kind: 'lmstudio', endpoint: standIn.url }).listModels();
    expect(models).toEqual([
      { id: 'qwen2.5-7b-instruct', name: 'qwen2.5-7b-instruct', capabilities: { tools: true } },
      { id: 'lmstudio-community/gemma-3-4b-it', name: 'lmstudio-community/gemma-3-4b-it', capabilities: { tools: true } },
    ]);
    expect(standIn.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(standIn.requests[0]?.headers.authorization).toBe('Bearer lm-studio');
  });

  it('sends the conversation, tools and tool results as chat completion messages, asking for usage', async () => {
    standIn = await OpenAiStandIn.start({ models: MODELS });
    const { error } = await run(
      new LmStudioProvider({ id: 'l', kind: 'lmstudio', endpoint: standIn.url }).complete({
        model: 'qwen2.5-7b-instruct',
        maxTokens: 128,
        temperature: 0.7,
        tools: [{ name: 'search', description: 'Searches notes', inputSchema: { type: 'object', properties: { query: { type: 'string' } } } }],
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Find the recipe.' },
          { role: 'assistant', content: '', toolCalls: [{ id: 'call_9', name: 'search', arguments: { query: 'recipe' } }] },
          { role: 'tool', toolCallId: 'call_9', content: 'pancakes.md' },
        ],
      }),
    );
    expect(error).toBeUndefined();
    expect(standIn.chats[0]?.headers.accept).toContain('application/json');
    expect(standIn.chats[0]?.body).toEqual({
      model: 'qwen2.5-7b-instruct',
      max_tokens: 128,
      temperature: 0.7,
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: 'function', function: { name: 'search', description: 'Searches notes', parameters: { type: 'object', properties: { query: { type: 'string' } } } } }],
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Find the recipe.' },
        { role: 'assistant', content: '', tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'search', arguments: '{"query":"recipe"}' } }] },
        { role: 'tool', tool_call_id: 'call_9', content: 'pancakes.md' },
      ],
    });
  });

  it('assembles a tool call streamed one character at a time, and shows no fragment of it', async () => {
    standIn = await OpenAiStandIn.start({ models: MODELS });
    const args = { city: 'Zürich', days: 3 };
    standIn.reply({ toolCalls: [{ id: 'call_w', name: 'weather', arguments: args, pieces: JSON.stringify(args).length }], usage: { inputTokens: 30, outputTokens: 9 } });
    const { chunks, error } = await run(new LmStudioProvider({ id: 'l', kind: 'lmstudio', endpoint: standIn.url }).complete({ model: 'qwen2.5-7b-instruct', messages: [{ role: 'user', content: 'Weather?' }] }));
    expect(error).toBeUndefined();
    expect(chunks).toEqual([
      { type: 'toolCall', call: { id: 'call_w', name: 'weather', arguments: args } },
      { type: 'done', stopReason: 'toolUse', usage: { inputTokens: 30, outputTokens: 9 } },
    ]);
  });

  it('PROVIDER for a tool result that answers no call (the server refuses it with a 400)', async () => {
    standIn = await OpenAiStandIn.start({ models: MODELS });
    const { error } = await run(
      new LmStudioProvider({ id: 'l', kind: 'lmstudio', endpoint: standIn.url }).complete({ model: 'qwen2.5-7b-instruct', messages: [{ role: 'user', content: 'Hi' }, { role: 'tool', toolCallId: 'call_x', content: 'stray' }] }),
    );
    expect(expectCode(error, 'PROVIDER').message).toMatch(/400.*tool/);
  });
});
