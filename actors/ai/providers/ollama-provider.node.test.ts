import { afterEach, describe, expect, it } from 'vitest';
import { OllamaStandIn } from '../../../tests/support/stand-ins/ollama-stand-in.node.ts';
import { OllamaProvider } from './ollama-provider.ts';
import { expectCode, run, runProviderContractTests, texts } from './provider-contract-tests.node.ts';

const KEY = 'ollama-proxy-token';
const MODELS = [
  { id: 'llama3.2:1b', contextLength: 131_072, tools: true },
  { id: 'llava:7b', contextLength: 4096, vision: true },
  { id: 'nomic-embed-text:latest', embedding: true },
];

runProviderContractTests('Ollama', async () => {
  const standIn = await OllamaStandIn.start({ apiKey: KEY, models: MODELS });
  return { standIn, apiKey: KEY, model: 'llama3.2:1b', provider: (overrides = {}) => new OllamaProvider({ id: 'ollama', kind: 'ollama', endpoint: standIn.url, apiKey: KEY, ...overrides }) };
});

describe('Ollama on the wire', () => {
  let standIn: OllamaStandIn;
  afterEach(() => standIn.close());

  it('lists models with context length and capabilities from /api/show, leaving out embedding models', async () => {
    standIn = await OllamaStandIn.start({ models: MODELS });
    const models = await new OllamaProvider({ id: 'o', kind: 'ollama', endpoint: standIn.url }).listModels();
    expect(models).toEqual([
      { id: 'llama3.2:1b', name: 'llama3.2:1b', contextLength: 131_072, capabilities: { tools: true, vision: false } },
      { id: 'llava:7b', name: 'llava:7b', contextLength: 4096, capabilities: { tools: false, vision: true } },
    ]);
    expect(standIn.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/tags', 'POST /api/show', 'POST /api/show', 'POST /api/show']);
  });

  it('sends the conversation, tools, options and tool results the way /api/chat takes them', async () => {
    standIn = await OllamaStandIn.start({ models: MODELS });
    const { error } = await run(
      new OllamaProvider({ id: 'o', kind: 'ollama', endpoint: standIn.url }).complete({
        model: 'llama3.2:1b',
        maxTokens: 64,
        temperature: 0.2,
        tools: [{ name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }],
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'What is in notes.md?' },
          { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'read_file', arguments: { path: 'notes.md' } }] },
          { role: 'tool', toolCallId: 'call_1', content: 'no such file', isError: true },
        ],
      }),
    );
    expect(error).toBeUndefined();
    expect(standIn.chats[0]?.headers['content-type']).toBe('application/json');
    expect(standIn.chats[0]?.body).toEqual({
      model: 'llama3.2:1b',
      stream: true,
      options: { num_predict: 64, temperature: 0.2 },
      tools: [{ type: 'function', function: { name: 'read_file', description: 'Reads a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } } }],
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is in notes.md?' },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'read_file', arguments: { path: 'notes.md' } } }] },
        { role: 'tool', content: 'Error: no such file', tool_name: 'read_file' },
      ],
    });
  });

  it('sends no Authorization header without a key', async () => {
    standIn = await OllamaStandIn.start({ models: MODELS });
    await run(new OllamaProvider({ id: 'o', kind: 'ollama', endpoint: standIn.url }).complete({ model: 'llama3.2:1b', messages: [{ role: 'user', content: 'Hi' }] }));
    expect(standIn.chats[0]?.headers.authorization).toBeUndefined();
  });

  it('MODEL_MISSING for a model-not-found error line in the stream', async () => {
    standIn = await OllamaStandIn.start({ models: MODELS });
    standIn.reply({ text: [], fault: { kind: 'error', afterChunks: 0, message: "model 'llama3.2:1b' not found" } });
    const { chunks, error } = await run(new OllamaProvider({ id: 'o', kind: 'ollama', endpoint: standIn.url }).complete({ model: 'llama3.2:1b', messages: [{ role: 'user', content: 'Hi' }] }));
    expect(texts(chunks)).toEqual([]);
    expectCode(error, 'MODEL_MISSING');
  });

  it('health asks /api/version only', async () => {
    standIn = await OllamaStandIn.start({ models: MODELS });
    expect(await new OllamaProvider({ id: 'o', kind: 'ollama', endpoint: standIn.url }).health()).toMatchObject({ status: 'ok' });
    expect(standIn.requests.map((request) => request.path)).toEqual(['/api/version']);
  });
});
