import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../chat/chat-recipes.ts';
import type { StoredMessage } from '../chat/message-order.ts';
import type { SHA256Hash } from '../store/hash.ts';
import { addressedAis } from './addressing.ts';
import { buildConversation, estimateTokens } from './conversation.ts';

const AI = 'a'.repeat(64) as SHA256Hash;
const ADA = 'b'.repeat(64) as SHA256Hash;
const BOB = 'c'.repeat(64) as SHA256Hash;
let n = 0;
const msg = (author: SHA256Hash, text: string, extra: Partial<ChatMessage> = {}): StoredMessage => ({
  hash: String(++n).padStart(64, '0') as SHA256Hash,
  message: { $type$: 'ChatMessage', topic: 'f'.repeat(64) as SHA256Hash, author, text, createdAt: n, ...extra },
});
const base = { aiPerson: AI, names: new Map([[ADA, 'Ada'], [BOB, 'Bob']]), systemPrompt: 'be brief', contextLength: 10_000, maxTokens: 100, steps: [], group: false };

describe('buildConversation', () => {
  it('maps the AI\'s own messages to assistant turns and leaves out system notes', () => {
    const turns = buildConversation({ ...base, messages: [msg(ADA, 'hi'), msg(AI, 'hello'), msg(AI, 'failed!', { kind: 'system' }), msg(ADA, 'again')] });
    expect(turns.map((t) => [t.role, t.content])).toEqual([
      ['system', 'be brief'],
      ['user', 'hi'],
      ['assistant', 'hello'],
      ['user', 'again'],
    ]);
  });

  it('keeps the newest messages that fit the window, whole, and starts with a user turn', () => {
    const long = 'x'.repeat(400); // ~104 tokens each
    const messages = [msg(ADA, `1 ${long}`), msg(AI, `2 ${long}`), msg(ADA, `3 ${long}`), msg(AI, `4 ${long}`), msg(ADA, `5 ${long}`)];
    const window = 100 + estimateTokens('be brief') + 3 * estimateTokens(`1 ${long}`);
    const turns = buildConversation({ ...base, messages, contextLength: window });
    expect(turns.slice(1).map((t) => t.content.slice(0, 1))).toEqual(['3', '4', '5']);
    const tighter = buildConversation({ ...base, messages, contextLength: window - 1 });
    // 4 and 5 fit; 4 is an answer without its question, so it goes too.
    expect(tighter.slice(1).map((t) => t.content.slice(0, 1))).toEqual(['5']);
  });

  it('names the speakers in a group, and appends the tool rounds of the answer in progress', () => {
    const turns = buildConversation({
      ...base,
      group: true,
      messages: [msg(ADA, 'read a.md'), msg(BOB, 'and b.md')],
      steps: [{ text: 'reading', calls: [{ id: 'c1', name: 'read_file', arguments: { path: 'a.md' } }], results: [{ callId: 'c1', content: 'A!', isError: false }] }],
    });
    expect(turns.map((t) => [t.role, t.content])).toEqual([
      ['system', 'be brief'],
      ['user', 'Ada: read a.md'],
      ['user', 'Bob: and b.md'],
      ['assistant', 'reading'],
      ['tool', 'A!'],
    ]);
    expect(turns[3]!.toolCalls).toHaveLength(1);
    expect(turns[4]!.toolCallId).toBe('c1');
  });
});

describe('addressedAis', () => {
  const ais = [
    { personId: 'p1', name: 'Claude' },
    { personId: 'p2', name: 'Tiny Llama' },
  ];
  it('a lone AI answers everything', () => {
    expect(addressedAis('hello', [ais[0]!])).toEqual(['p1']);
  });
  it('in a group, only the AIs named with @, whole names, any case', () => {
    expect(addressedAis('@claude what do you think?', ais)).toEqual(['p1']);
    expect(addressedAis('ask @Tiny Llama and @CLAUDE.', ais)).toEqual(['p1', 'p2']);
    expect(addressedAis('@Claudette is not Claude', ais)).toEqual([]);
    expect(addressedAis('just us humans', ais)).toEqual([]);
  });
});
