import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, waitFor, type Actor } from 'xstate';
import { aiListenerMachine, type AiListenerEmitted } from '../../machines/ai-listener.ts';
import { OllamaStandIn } from '../../tests/support/stand-ins/ollama-stand-in.node.ts';
import { chatUser } from '../chat/chat-test-kit.ts';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { signersOf } from '../identity/signatures.ts';
import type { SHA256Hash } from '../store/hash.ts';
import { AiContacts } from './ai-contacts.ts';
import { aiListenerEffects } from './ai-listener-effects.ts';
import { LlmManager } from './llm-manager.ts';
import { MemoryApprovalStore } from './mcp/approval-store.ts';
import { deleteFileTool } from './mcp/delete-file-tool.node.ts';
import { LamaToolServer } from './mcp/lama-tool-server.ts';
import { McpTools } from './mcp/mcp-tools.ts';
import { ToolRegistry } from './mcp/tool-registry.ts';

/**
 * The AI listener for real: its statechart, its effects, the Chat over a store, an AI contact with
 * its own keys, LLMManager and the Ollama provider through the `ollama` SDK against the stand-in
 * server on 127.0.0.1 — and, for tools, McpTools with LAMA's own tool server.
 */
let ollama: OllamaStandIn;
let manager: LlmManager;
const cleanups: (() => unknown)[] = [];

beforeEach(async () => {
  ollama = await OllamaStandIn.start({ models: [{ id: 'tiny:1b', contextLength: 2048, tools: true }] });
  manager = await LlmManager.open();
  await manager.save({ id: 'ollama', kind: 'ollama', endpoint: ollama.url, timeoutMs: 2_000 });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await manager.close();
  await ollama.close();
});

async function setup(options: { tools?: McpTools; capabilities?: string[] } = {}) {
  const ada = await chatUser('Ada');
  const contacts = new AiContacts(ada.store, nobleCrypto, ada.identity);
  const ai = await contacts.ensure({ provider: 'ollama', providerKind: 'ollama', modelId: 'tiny:1b', name: 'Tiny', capabilities: options.capabilities ?? ['chat'], contextLength: 2048, maxTokens: 256 });
  const { idHash: topic } = await ada.chat.createTopic({ name: 'Tiny', participants: [ai.personId] });
  const actor = createActor(
    aiListenerMachine.provide({
      actors: aiListenerEffects({ store: ada.store, chat: ada.chat, contacts, complete: (ref, request) => manager.complete(ref, request), ...(options.tools ? { tools: options.tools } : {}), flushMs: 5 }),
    }),
    { input: { topic, aiPerson: ai.personId } },
  );
  const streamed: Extract<AiListenerEmitted, { type: 'ai.stream' }>[] = [];
  actor.on('ai.stream', (event) => streamed.push(event));
  actor.start();
  cleanups.push(() => actor.stop());
  const say = async (text: string) => {
    const { hash } = await ada.chat.send(topic, text);
    actor.send({ type: 'topic.message', hash });
    return hash;
  };
  const texts = async () => (await ada.chat.messages(topic)).map((m) => ({ text: m.message.text, by: m.message.author === ai.personId ? 'ai' : 'ada', ...(m.message.incomplete ? { incomplete: true } : {}), ...(m.message.kind ? { kind: m.message.kind } : {}) }));
  return { ada, ai, topic, actor, streamed, say, texts };
}

const settled = (actor: Actor<typeof aiListenerMachine>, state: 'idle' | 'failed' = 'idle') => waitFor(actor, (s) => s.matches(state), { timeout: 5_000 });

describe('AI listener', () => {
  it('answers a human message by streaming, then stores the whole answer once, signed by the AI', async () => {
    const { ada, ai, actor, streamed, say, texts } = await setup();
    ollama.reply({ text: ['Hello', ', ', 'Ada', '!'], chunkDelayMs: 15 });
    await say('hi');
    await waitFor(actor, (s) => s.matches({ answering: 'generating' }) && s.context.partial.length > 0);
    await settled(actor);
    expect(await texts()).toEqual([
      { text: 'hi', by: 'ada' },
      { text: 'Hello, Ada!', by: 'ai' },
    ]);
    const answer = (await ada.chat.messages((await ada.chat.topics())[0]!.idHash)).at(-1)!;
    expect(await signersOf(ada.store, nobleCrypto, answer.hash)).toEqual([ai.personId]);
    // The partial text grew while streaming; the last announcement is `done`.
    const partials = streamed.filter((e) => e.phase === 'streaming').map((e) => e.text);
    expect(partials.length).toBeGreaterThan(1);
    expect(partials.at(-1)).toBe('Hello, Ada!');
    expect(streamed.at(-1)?.phase).toBe('done');
    // The model saw a system prompt and the human's message.
    const request = ollama.chats.at(-1)!.body as { messages: { role: string; content: string }[] };
    expect(request.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(request.messages[1]!.content).toBe('hi');
  });

  it('queues messages that arrive while it answers, then answers them once', async () => {
    const { actor, say, texts } = await setup();
    ollama.reply({ text: ['first', ' answer'], chunkDelayMs: 60 }, { text: ['second answer'] });
    await say('one');
    await waitFor(actor, (s) => s.matches('answering'));
    await say('two');
    await say('three');
    expect(actor.getSnapshot().context.queue.length).toBe(2);
    await waitFor(actor, (s) => s.matches('idle') && (s.context.queue.length === 0), { timeout: 5_000 });
    await expect.poll(texts).toEqual([
      { text: 'one', by: 'ada' },
      { text: 'two', by: 'ada' },
      { text: 'three', by: 'ada' },
      { text: 'first answer', by: 'ai' },
      { text: 'second answer', by: 'ai' },
    ]);
    expect(ollama.chats.length).toBe(2);
    // The second request carried the whole conversation.
    const second = ollama.chats[1]!.body as { messages: { role: string; content: string }[] };
    expect(second.messages.slice(1).map((m) => m.content)).toEqual(['one', 'two', 'three', 'first answer']);
  });

  it('keeps what was said when the user cancels, marked incomplete', async () => {
    const { actor, say, texts } = await setup();
    ollama.reply({ text: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], chunkDelayMs: 80 });
    await say('go');
    await waitFor(actor, (s) => s.context.partial.length >= 2, { timeout: 5_000 });
    actor.send({ type: 'answer.cancel' });
    await settled(actor);
    const all = await texts();
    expect(all[1]).toMatchObject({ by: 'ai', incomplete: true });
    expect(all[1]!.text.length).toBeLessThan(8);
    expect(all).toHaveLength(2);
  });

  it('turns a provider failure into a system message and a failed state; retry answers', async () => {
    const { actor, say, texts } = await setup();
    ollama.fail({ status: 404, message: 'model "tiny:1b" not found, try pulling it first' });
    await say('hello?');
    await settled(actor, 'failed');
    expect(actor.getSnapshot().context.error?.code).toBe('MODEL_MISSING');
    expect(await texts()).toEqual([
      { text: 'hello?', by: 'ada' },
      { text: expect.stringContaining('The model is not available'), by: 'ai', kind: 'system' },
    ]);
    ollama.reply({ text: ['here now'] });
    actor.send({ type: 'answer.retry' });
    await settled(actor);
    expect((await texts()).at(-1)).toEqual({ text: 'here now', by: 'ai' });
  });

  it('keeps a partial answer when the stream breaks midway, and says so', async () => {
    const { actor, say, texts } = await setup();
    ollama.reply({ text: ['part', 'ial', 'never'], fault: { kind: 'cut', afterChunks: 2 } });
    await say('tell me');
    await settled(actor, 'failed');
    const all = await texts();
    // What arrived before the cut (a reset connection may drop the last chunk in flight) is kept.
    expect(all.slice(1)).toEqual([
      { text: expect.stringMatching(/^part(ial)?$/), by: 'ai', incomplete: true },
      { text: expect.stringContaining('could not be read'), by: 'ai', kind: 'system' },
    ]);
  });

  describe('with tools', () => {
    let root: string;
    beforeEach(() => {
      root = realpathSync(mkdtempSync(join(tmpdir(), 'lama-ai-tools-')));
      cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    });

    async function withDeleteTool() {
      const server = new LamaToolServer();
      server.register(deleteFileTool(() => [root]));
      const registry = new ToolRegistry();
      await server.connect(registry);
      cleanups.push(() => server.close());
      return McpTools.open(registry, new MemoryApprovalStore());
    }

    it('asks before a tool that changes files, runs it once allowed, and answers with its result', async () => {
      writeFileSync(join(root, 'old.txt'), 'bye');
      const { actor, streamed, say, texts } = await setup({ tools: await withDeleteTool(), capabilities: ['chat', 'tools'] });
      ollama.reply({ text: ['Deleting it.'], toolCalls: [{ name: 'delete_file', arguments: { path: join(root, 'old.txt') } }], stopReason: 'toolUse' }, { text: ['Done: old.txt is gone.'] });
      await say('please delete old.txt');
      await waitFor(actor, (s) => s.matches({ answering: { tools: 'awaitingApproval' } }), { timeout: 5_000 });
      // Nothing ran yet; the approval shows the full arguments.
      expect(existsSync(join(root, 'old.txt'))).toBe(true);
      expect(streamed.at(-1)).toMatchObject({ phase: 'approval', approval: { call: { name: 'delete_file', arguments: { path: join(root, 'old.txt') } }, destructive: true } });
      // Ollama's wire format has no call ids: the provider made one, and the approval carries it.
      actor.send({ type: 'tool.decide', callId: actor.getSnapshot().context.approval!.call.id, choice: 'allowOnce' });
      await settled(actor);
      expect(existsSync(join(root, 'old.txt'))).toBe(false);
      expect((await texts()).at(-1)).toEqual({ text: 'Done: old.txt is gone.', by: 'ai' });
      // The second request carried the tool call and its result back to the model.
      const second = ollama.chats[1]!.body as { messages: { role: string; content: string; tool_calls?: unknown[] }[] };
      expect(second.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
      expect(second.messages[2]!.tool_calls).toHaveLength(1);
    });

    it('tells the model when the user denies, and touches nothing', async () => {
      writeFileSync(join(root, 'keep.txt'), 'keep');
      const { actor, say, texts } = await setup({ tools: await withDeleteTool(), capabilities: ['chat', 'tools'] });
      ollama.reply({ toolCalls: [{ name: 'delete_file', arguments: { path: join(root, 'keep.txt') } }], stopReason: 'toolUse' }, { text: ['Understood, I left it.'] });
      await say('delete keep.txt');
      await waitFor(actor, (s) => s.matches({ answering: { tools: 'awaitingApproval' } }), { timeout: 5_000 });
      actor.send({ type: 'tool.decide', callId: 'other-call', choice: 'allowOnce' }); // a stale click changes nothing
      expect(actor.getSnapshot().matches({ answering: { tools: 'awaitingApproval' } })).toBe(true);
      actor.send({ type: 'tool.decide', callId: actor.getSnapshot().context.approval!.call.id, choice: 'deny' });
      await settled(actor);
      expect(existsSync(join(root, 'keep.txt'))).toBe(true);
      const toolTurn = (ollama.chats[1]!.body as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === 'tool')!;
      expect(toolTurn.content).toMatch(/denied|declined|refused/i);
      expect((await texts()).at(-1)).toEqual({ text: 'Understood, I left it.', by: 'ai' });
    });

    it('describes the tools in the prompt for a model without native tool calling, and never shows the call\'s JSON', async () => {
      writeFileSync(join(root, 'old.txt'), 'bye');
      const { actor, streamed, say, texts } = await setup({ tools: await withDeleteTool(), capabilities: ['chat'] });
      const block = '```tool\n' + JSON.stringify({ name: 'delete_file', arguments: { path: join(root, 'old.txt') } }) + '\n```';
      ollama.reply({ text: ['I will delete it. ', block.slice(0, 9), block.slice(9)] }, { text: ['Deleted.'] });
      await say('delete old.txt please');
      await waitFor(actor, (s) => s.matches({ answering: { tools: 'awaitingApproval' } }), { timeout: 5_000 });
      const first = ollama.chats[0]!.body as { messages: { role: string; content: string }[]; tools?: unknown[] };
      expect(first.tools ?? []).toEqual([]);
      expect(first.messages[0]!.content).toContain('delete_file');
      expect(streamed.every((e) => !e.text.includes('```tool'))).toBe(true);
      actor.send({ type: 'tool.decide', callId: actor.getSnapshot().context.approval!.call.id, choice: 'allowOnce' });
      await settled(actor);
      expect(existsSync(join(root, 'old.txt'))).toBe(false);
      // The round trip in words: the model's block as it wrote it, the result as a user turn.
      const second = (ollama.chats[1]!.body as { messages: { role: string; content: string }[] }).messages;
      expect(second.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
      expect(second[2]!.content).toContain('```tool');
      expect(second[3]!.content).toMatch(/^Result of delete_file/);
      expect((await texts()).at(-1)).toEqual({ text: 'Deleted.', by: 'ai' });
    });

    it('stops offering tools after the step limit, so the model must answer in words', async () => {
      writeFileSync(join(root, 'a.txt'), 'a');
      const tools = await withDeleteTool();
      await tools.setRule('lama', 'delete_file', 'allow');
      const { actor, say } = await setup({ tools, capabilities: ['chat', 'tools'] });
      actor.stop();
      const limited = createActor(
        aiListenerMachine.provide({ actors: (actor.logic as typeof aiListenerMachine).implementations.actors }),
        { input: { topic: actor.getSnapshot().context.topic, aiPerson: actor.getSnapshot().context.aiPerson, maxSteps: 1 } },
      ).start();
      cleanups.push(() => limited.stop());
      const call = (id: string) => ({ id, name: 'delete_file', arguments: { path: join(root, `${id}.txt`) } });
      ollama.reply({ toolCalls: [call('x')], stopReason: 'toolUse' }, { toolCalls: [call('y')], stopReason: 'toolUse' }, { text: ['never asked'] });
      const hash = await say('loop');
      limited.send({ type: 'topic.message', hash: hash as SHA256Hash });
      await waitFor(limited, (s) => s.matches('idle'), { timeout: 5_000 });
      expect(ollama.chats.length).toBe(2);
      expect((ollama.chats[1]!.body as { tools?: unknown[] }).tools ?? []).toEqual([]);
    });
  });
});
