import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import type { PayloadOf } from '../../hosts/ipc/channels.ts';
import { connectAsPage } from '../support/node-control-client.node.ts';
import { OllamaStandIn } from '../support/stand-ins/ollama-stand-in.node.ts';
import { startTestHost } from '../support/test-host.node.ts';

/**
 * The AI's tools in the running Node host: folders chosen over orchestration start the real
 * filesystem MCP server; the AI listener reads a file without asking, asks before writing one
 * (status:aiStream shows the call, orchestrate:aiApprove answers), and a folder that does not
 * exist is refused with BAD_ROOTS.
 */
describe('AI tools in the Node host', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('reads without asking, writes once allowed, and refuses folders that are not there', async () => {
    const ollama = await OllamaStandIn.start({ models: [{ id: 'tools:1b', contextLength: 8192, tools: true }] });
    cleanups.push(() => ollama.close());
    const folder = realpathSync(mkdtempSync(join(tmpdir(), 'lama-ai-folder-')));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    writeFileSync(join(folder, 'notes.md'), 'buy milk');
    const { host, dispose } = await startTestHost({
      detectLocalProviders: false,
      configureAi: (manager) => manager.save({ id: 'ollama', kind: 'ollama', endpoint: ollama.url }).then(() => undefined),
    });
    cleanups.push(dispose);
    await host.provision({ name: 'Ada', passphrase: 'correct horse battery' });
    const page = await connectAsPage(host.url);
    cleanups.push(() => page.close());
    const streamed: PayloadOf<'status:aiStream'>[] = [];
    page.on('status:aiStream', (event) => streamed.push(event));

    await expect(page['orchestrate:setToolRoots']({ roots: [join(folder, 'missing')] })).rejects.toMatchObject({ code: 'BAD_ROOTS' });
    expect(await page['orchestrate:setToolRoots']({ roots: [folder] })).toEqual({ roots: [folder] });
    const tools = host.ai()!.tools;
    await waitFor(tools.server, (s) => s.matches({ running: 'ready' }), { timeout: 20_000 });

    await expect.poll(async () => (await host.ai()!.contacts.list()).length, { timeout: 10_000 }).toBe(1);
    const [ai] = await host.ai()!.contacts.list();
    expect(ai!.llm.capabilities).toContain('tools');
    const chat = host.chat()!;
    const { idHash: topic } = await chat.createTopic({ name: 'Files', participants: [ai!.personId] });

    // A read runs without asking; its result goes back to the model.
    ollama.reply({ toolCalls: [{ name: 'read_file', arguments: { path: join(folder, 'notes.md') } }], stopReason: 'toolUse' }, { text: ['Your note says: buy milk.'] });
    await chat.send(topic, 'what is in notes.md?');
    await expect.poll(async () => (await chat.messages(topic)).at(-1)?.message.text, { timeout: 15_000 }).toBe('Your note says: buy milk.');
    const toolTurn = (ollama.chats[1]!.body as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === 'tool');
    expect(toolTurn?.content).toContain('buy milk');

    // A write waits for the user, with the full arguments in the status push.
    ollama.reply({ toolCalls: [{ name: 'write_file', arguments: { path: join(folder, 'todo.md'), content: 'call mum' } }], stopReason: 'toolUse' }, { text: ['Written.'] });
    await chat.send(topic, 'write todo.md');
    await expect.poll(() => streamed.find((s) => s.phase === 'approval')?.approval?.call.name, { timeout: 15_000 }).toBe('write_file');
    const approval = streamed.find((s) => s.phase === 'approval')!;
    expect(approval.approval!.call.arguments).toEqual({ path: join(folder, 'todo.md'), content: 'call mum' });
    expect(() => readFileSync(join(folder, 'todo.md'))).toThrow();
    await page['orchestrate:aiApprove']({ topic, aiPerson: ai!.personId, callId: approval.approval!.call.id, choice: 'allowOnce' });
    await expect.poll(async () => (await chat.messages(topic)).at(-1)?.message.text, { timeout: 15_000 }).toBe('Written.');
    expect(readFileSync(join(folder, 'todo.md'), 'utf8')).toBe('call mum');
  }, 60_000);
});
