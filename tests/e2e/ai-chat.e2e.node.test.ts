import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SHA256Hash } from '../../actors/store/hash.ts';
import type { PayloadOf } from '../../hosts/ipc/channels.ts';
import { startHost, type RunningHost } from '../../hosts/node/host.node.ts';
import '../support/lama-browser-global.ts';
import { connectAsPage } from '../support/node-control-client.node.ts';
import { OllamaStandIn } from '../support/stand-ins/ollama-stand-in.node.ts';
import { idlePool } from '../support/test-host.node.ts';
import { buildRenderer, collectPageErrors, createIdentity, launchChromium } from './e2e-kit.node.ts';

/**
 * Issue 6's end-to-end path: a human message written in the browser instance (Chromium, its own
 * user and IndexedDB store) travels by CHUM to the Node host, where the AI listener asks the model
 * (Ollama's wire format, served by the stand-in on 127.0.0.1, through the `ollama` SDK), streams
 * the answer as status:aiStream, and stores it signed by the AI contact — and CHUM brings it back
 * to the browser.
 */
describe('chatting with an AI contact from the browser', () => {
  let renderer: Awaited<ReturnType<typeof buildRenderer>>;
  let browser: Browser;
  let ollama: OllamaStandIn;
  let host: RunningHost;
  let dataDir: string;

  beforeAll(async () => {
    [renderer, browser, ollama] = await Promise.all([buildRenderer(), launchChromium(), OllamaStandIn.start({ models: [{ id: 'tiny:1b', displayName: 'Tiny', contextLength: 4096 }] })]);
    dataDir = mkdtempSync(join(tmpdir(), 'lama-e2e-ai-'));
    host = await startHost({
      dataDir,
      port: 0,
      rendererDir: renderer.dir,
      workerPool: { logic: idlePool },
      federationPort: 0,
      detectLocalProviders: false,
      configureAi: async (manager) => {
        await manager.save({ id: 'ollama', kind: 'ollama', endpoint: ollama.url });
      },
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (host?.app.getSnapshot().status === 'active') await host.stop();
    await ollama?.close();
    renderer?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a message in the browser is answered by the AI, streaming, and the answer syncs back', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(host.url);
    await createIdentity(page);

    // The AI contact the Node made for the stand-in's model reaches the browser through CHUM.
    await expect
      .poll(() => page.evaluate(async () => (await globalThis.lamaBrowser.aiContacts()).map((c) => [c.llm.name, c.llm.modelId])), { timeout: 20_000 })
      .toEqual([['tiny:1b', 'tiny:1b']]);

    const streamed: PayloadOf<'status:aiStream'>[] = [];
    const control = await connectAsPage(host.url);
    control.on('status:aiStream', (event) => streamed.push(event));

    ollama.reply({ text: ['Hi', ' Ada,', ' nice', ' to', ' meet', ' you.'], chunkDelayMs: 30 });
    const topic = (await page.evaluate(async () => {
      const instance = globalThis.lamaBrowser;
      const [ai] = await instance.aiContacts();
      const { idHash } = await instance.chat!.createTopic({ name: ai!.llm.name, participants: [ai!.personId, instance.nodePerson!] });
      (globalThis as unknown as { seen: string[] }).seen = [];
      instance.follow(idHash, (messages) => (globalThis as unknown as { seen: string[] }).seen.push(...messages.map((m) => m.message.text)));
      await instance.chat!.send(idHash, 'Hello AI');
      return idHash;
    })) as SHA256Hash;

    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { seen: string[] }).seen), { timeout: 20_000 }).toContain('Hi Ada, nice to meet you.');
    // The model was asked with the browser user's message; the partial answer streamed as status.
    expect((ollama.chats.at(-1)!.body as { messages: { content: string }[] }).messages.at(-1)!.content).toContain('Hello AI');
    const phases = streamed.filter((s) => s.topic === topic).map((s) => s.phase);
    expect(phases).toContain('streaming');
    expect(phases.at(-1)).toBe('done');
    const texts = streamed.filter((s) => s.phase === 'streaming').map((s) => s.text);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.at(-1)).toBe('Hi Ada, nice to meet you.');
    // On the Node, the answer is the AI's message, complete.
    const onNode = await host.chat()!.messages(topic);
    expect(onNode.map((m) => m.message.text)).toEqual(['Hello AI', 'Hi Ada, nice to meet you.']);
    expect(onNode[1]!.message.incomplete).toBeUndefined();
    await control.close();
    expect(errors).toEqual([]);
  }, 120_000);
});
