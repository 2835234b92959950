import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicStandIn } from '../../../tests/support/stand-ins/anthropic-stand-in.node.ts';
import { ClaudeProvider } from './claude-provider.ts';
import { expectCode, run, runProviderContractTests, texts } from './provider-contract-tests.node.ts';

const KEY = 'sk-ant-api03-test-key';
const MODELS = [
  { id: 'claude-sonnet-4-6', displayName: 'Claude Sonnet 4.6', contextLength: 200_000 },
  { id: 'claude-haiku-4-5', displayName: 'Claude Haiku 4.5', contextLength: 200_000 },
];

runProviderContractTests('Claude', async () => {
  const standIn = await AnthropicStandIn.start({ apiKey: KEY, models: MODELS });
  return { standIn, apiKey: KEY, model: 'claude-sonnet-4-6', provider: (overrides = {}) => new ClaudeProvider({ id: 'claude', kind: 'claude', endpoint: standIn.url, apiKey: KEY, ...overrides }) };
});

describe('Claude on the wire', () => {
  let standIn: AnthropicStandIn;
  const claude = (apiKey: string | undefined = KEY) => new ClaudeProvider({ id: 'c', kind: 'claude', endpoint: standIn.url, ...(apiKey === undefined ? {} : { apiKey }) });
  afterEach(() => standIn.close());

  it('puts system turns in `system`, tool results in tool_result blocks beside their tool_use, and sends version and key headers', async () => {
    standIn = await AnthropicStandIn.start({ apiKey: KEY, models: MODELS });
    const { error } = await run(
      claude().complete({
        model: 'claude-sonnet-4-6',
        temperature: 0.5,
        tools: [{ name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }],
        messages: [
          { role: 'system', content: 'You are Ada’s assistant.' },
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Compare a.md and b.md' },
          {
            role: 'assistant',
            content: 'Reading both.',
            toolCalls: [
              { id: 'toolu_a', name: 'read_file', arguments: { path: 'a.md' } },
              { id: 'toolu_b', name: 'read_file', arguments: { path: 'b.md' } },
            ],
          },
          { role: 'tool', toolCallId: 'toolu_a', content: 'alpha' },
          { role: 'tool', toolCallId: 'toolu_b', content: 'permission denied', isError: true },
        ],
      }),
    );
    expect(error).toBeUndefined();
    const chat = standIn.chats[0]!;
    expect(chat.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(chat.headers.authorization ?? chat.headers['x-api-key']).toContain(KEY);
    expect(chat.body).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      temperature: 0.5,
      stream: true,
      system: 'You are Ada’s assistant.\n\nBe brief.',
      tools: [{ name: 'read_file', description: 'Reads a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Compare a.md and b.md' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Reading both.' },
            { type: 'tool_use', id: 'toolu_a', name: 'read_file', input: { path: 'a.md' } },
            { type: 'tool_use', id: 'toolu_b', name: 'read_file', input: { path: 'b.md' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_a', content: 'alpha' },
            { type: 'tool_result', tool_use_id: 'toolu_b', content: 'permission denied', is_error: true },
          ],
        },
      ],
    });
  });

  it('UNAUTHORIZED without a key, before any request (the SDK would look for one elsewhere)', async () => {
    standIn = await AnthropicStandIn.start({ apiKey: KEY, models: MODELS });
    expectCode((await run(claude('').complete({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hi' }] }))).error, 'UNAUTHORIZED');
    expect(await claude('').health()).toMatchObject({ status: 'unauthorized' });
    expect(standIn.requests).toHaveLength(0);
  });

  it('PROVIDER for 529 overloaded and for an overloaded_error event; RATE_LIMITED for a rate_limit_error event', async () => {
    standIn = await AnthropicStandIn.start({ apiKey: KEY, models: MODELS });
    const ask = () => run(claude().complete({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hi' }] }));
    standIn.fail({ status: 529 });
    expect(expectCode((await ask()).error, 'PROVIDER').message).toMatch(/529.*Overloaded/);
    standIn.reply({ text: ['partial'], fault: { kind: 'error', afterChunks: 1 } });
    const overloaded = await ask();
    expect(texts(overloaded.chunks)).toEqual(['partial']);
    expect(expectCode(overloaded.error, 'PROVIDER').message).toMatch(/overloaded_error/);
    standIn.reply({ text: ['x'], fault: { kind: 'error', afterChunks: 0, errorType: 'rate_limit_error', message: 'slow down' } });
    expectCode((await ask()).error, 'RATE_LIMITED');
  });

  it('lists every model across pages, with display names and context windows', async () => {
    const many = Array.from({ length: 130 }, (_, i) => ({ id: `claude-test-${i}`, displayName: `Test ${i}`, contextLength: 100_000 + i }));
    standIn = await AnthropicStandIn.start({ apiKey: KEY, models: many });
    const models = await claude().listModels();
    expect(models).toHaveLength(130);
    expect(models[129]).toEqual({ id: 'claude-test-129', name: 'Test 129', contextLength: 100_129, capabilities: { tools: true, vision: true } });
    expect(standIn.requests.map((request) => request.path)).toEqual(['/v1/models?limit=100', '/v1/models?limit=100&after_id=claude-test-99']);
  });

  it('MALFORMED_STREAM for an answer that ends inside a tool_use block, with none of its input shown', async () => {
    standIn = await AnthropicStandIn.start({ apiKey: KEY, models: MODELS });
    standIn.reply({ toolCalls: [{ id: 'toolu_1', name: 'read_file', arguments: { path: 'x' } }], fault: { kind: 'end', afterChunks: 2 } });
    const { chunks, error } = await run(claude().complete({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hi' }] }));
    expect(chunks).toEqual([]);
    expectCode(error, 'MALFORMED_STREAM');
  });
});
