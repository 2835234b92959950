import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LlmProvider } from '../../actors/ai/llm-provider.ts';
import { startHost, type RunningHost } from '../../hosts/node/host.node.ts';
import { defaultKinds, nodeWorkerPoolChild } from '../../hosts/workers/node-pool.node.ts';
import '../support/lama-browser-global.ts';
import { OllamaStandIn } from '../support/stand-ins/ollama-stand-in.node.ts';
import { buildRenderer, collectPageErrors, launchChromium, screenshot } from './e2e-kit.node.ts';

/**
 * The app shell end to end (issue 7): onboarding with the first-AI step, the navigation rail, each
 * view against the real Node host in headless Chromium — Contacts starts a chat with the AI contact
 * (Ollama's wire format from the stand-in), Devices, Settings (providers, tools), Data — in light
 * and dark. Every view is screenshotted into test-results/screenshots/.
 */

/** Stands in for the embedded model as the host registers it: built in, no model downloaded yet. */
const embeddedStandIn: LlmProvider = {
  id: 'embedded',
  kind: 'embedded',
  listModels: async () => [],
  health: async () => ({ status: 'ok', latencyMs: 3 }),
  // eslint-disable-next-line require-yield -- never asked: it lists no model
  complete: async function* () {
    throw new Error('the embedded stand-in has no model');
  },
};

describe('the app shell', () => {
  let renderer: Awaited<ReturnType<typeof buildRenderer>>;
  let browser: Browser;
  let ollama: OllamaStandIn;
  let host: RunningHost;
  let dataDir: string;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    [renderer, browser, ollama] = await Promise.all([buildRenderer(), launchChromium(), OllamaStandIn.start({ models: [{ id: 'tiny:1b', displayName: 'Tiny', contextLength: 4096 }] })]);
    dataDir = mkdtempSync(join(tmpdir(), 'lama-e2e-ui-'));
    host = await startHost({
      dataDir,
      port: 0,
      rendererDir: renderer.dir,
      // A real pool (one crypto and one sync thread; no model process), for the Data view to show.
      workerPool: nodeWorkerPoolChild({ crypto: { ...defaultKinds().crypto, workers: 1 }, sync: { ...defaultKinds().sync, workers: 1 } }),
      federationPort: 0,
      detectLocalProviders: false,
      // The stand-in below plays the embedded model: this pool has no model process.
      embeddedModel: false,
      configureAi: async (manager) => {
        await manager.register(embeddedStandIn);
        await manager.save({ id: 'ollama', kind: 'ollama', endpoint: ollama.url });
      },
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    errors = collectPageErrors(page);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (host?.app.getSnapshot().status === 'active') await host.stop();
    await ollama?.close();
    renderer?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // A failed step leaves a picture of what the page showed.
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await screenshot(page, `ui-failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  const rail = () => page.getByRole('navigation', { name: 'Main' });
  /** A screenshot without the hover state of whatever the mouse last clicked. */
  const shot = async (name: string) => {
    await page.mouse.move(1279, 799);
    await screenshot(page, name);
  };
  const open = async (view: string) => {
    await rail().getByRole('link', { name: view }).click();
    await expect.poll(() => rail().getByRole('link', { name: view }).getAttribute('aria-current'), { timeout: 5_000 }).toBe('page');
  };

  it('onboards a new user and asks for a first AI, listing what the host offers', async () => {
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Welcome to LAMA' }).waitFor();
    await shot('ui-onboarding');
    await page.getByLabel('Your name').fill('Ada');
    await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
    await page.getByLabel('Repeat passphrase').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create my identity' }).click();

    const setup = page.getByRole('dialog', { name: 'Choose your first AI' });
    await setup.getByRole('heading', { name: 'Choose your first AI' }).waitFor({ timeout: 30_000 });
    // The embedded model is preselected; the Ollama server the host found is offered with its model.
    await expect.poll(() => setup.getByRole('radio', { name: /Embedded model/ }).isChecked()).toBe(true);
    await setup.getByText('tiny:1b').waitFor();
    await expect.poll(() => setup.getByRole('radio', { name: /Claude/ }).count()).toBe(1);
    await shot('ui-onboarding-first-ai');

    await setup.getByRole('radio', { name: /Ollama/ }).check();
    await setup.getByRole('button', { name: 'Continue' }).click();
    await setup.waitFor({ state: 'detached' });
    await page.getByText('Linked to the Node instance').waitFor({ timeout: 45_000 });
  }, 120_000);

  it('opens in Chats with a rail that the keyboard drives', async () => {
    expect(await rail().getByRole('link', { name: 'Chats' }).getAttribute('aria-current')).toBe('page');
    const link = (name: string) => rail().getByRole('link', { name });
    // Each key goes to the link that has the focus then: arrows move it along the rail, Enter opens.
    await link('Chats').press('ArrowDown');
    await expect.poll(() => link('Contacts').evaluate((a) => a.matches(':focus'))).toBe(true);
    await link('Contacts').press('ArrowDown');
    await link('Devices').press('Enter');
    await expect.poll(() => link('Devices').getAttribute('aria-current'), { timeout: 5_000 }).toBe('page');
    await page.keyboard.press('Alt+1');
    await expect.poll(() => link('Chats').getAttribute('aria-current'), { timeout: 5_000 }).toBe('page');
    await shot('ui-chats');
  });

  it('lists the AI contact under Contacts and starts a chat with it', async () => {
    await open('Contacts');
    const ai = page.getByRole('list').filter({ has: page.getByText('tiny:1b') }).first();
    await ai.waitFor({ timeout: 30_000 });
    await shot('ui-contacts');
    await page.getByLabel('Select tiny:1b').check();
    await page.getByRole('region', { name: 'Selected contacts' }).waitFor();
    await shot('ui-contacts-selected');
    await page.getByRole('button', { name: 'Start chat' }).click();
    await expect.poll(() => rail().getByRole('link', { name: 'Chats' }).getAttribute('aria-current')).toBe('page');

    // One topic with the AI and the Node archive: the first-AI step's chat, found again rather than doubled.
    const topics = await page.evaluate(async () => (await globalThis.lamaBrowser.chat!.topics()).map((t) => ({ name: t.topic.name, participants: t.topic.participants.length })));
    expect(topics).toEqual([{ name: 'tiny:1b', participants: 3 }]);
  }, 60_000);

  it('sends a message in Chats and shows the answer as it streams in', async () => {
    // Contacts' chat is open already: the shell hands the topic to the chat layout.
    const composer = page.getByRole('textbox', { name: 'Message tiny:1b' });
    await composer.waitFor({ timeout: 15_000 });
    ollama.reply({ text: ['Hello', ' Ada,', ' nice', ' to', ' meet', ' you.', ' Ask', ' me', ' anything', ' — I', ' answer', ' **right', ' here**.'], chunkDelayMs: 150 });
    await composer.fill('Hi there, who are you?');
    await composer.press('Enter');
    await page.getByRole('article', { name: 'tiny:1b is answering' }).getByText(/nice to meet/).waitFor({ timeout: 20_000 });
    await shot('ui-chat-streaming');
    const log = page.getByRole('log', { name: 'Messages in tiny:1b' });
    await log.getByText('Ask me anything — I answer right here.').waitFor({ timeout: 20_000 });
    await page.getByRole('article', { name: 'tiny:1b is answering' }).waitFor({ state: 'detached', timeout: 20_000 });
    await shot('ui-chat-answered');
    expect((ollama.chats.at(-1)!.body as { messages: { content: string }[] }).messages.at(-1)!.content).toContain('Hi there, who are you?');
  }, 60_000);

  it('shows the AI listener\'s transitions in the Inspector', async () => {
    await open('Inspector');
    const listener = page.getByRole('treeitem', { name: /^aiListener/ });
    await listener.first().click({ timeout: 15_000 });
    // The answer above as the listener lived it: text streaming in while generating, then storing, then idle again.
    await page.getByLabel('Show events of').selectOption('selected');
    const transitions = page.locator('[role="cell"].transition[title*=" → "]');
    await expect
      .poll(async () => (await transitions.evaluateAll((cells) => cells.map((c) => c.getAttribute('title')))).reverse().filter((t) => !/^(\S+) → \1$/.test(t ?? '')), { timeout: 15_000 })
      .toEqual(expect.arrayContaining(['answering.generating → answering.storing', 'answering.storing → idle']));
    await page.getByText('Laying out the chart…').waitFor({ state: 'hidden', timeout: 15_000 });
    await shot('ui-inspector');
  }, 30_000);

  it('shows this device under Devices', async () => {
    await open('Devices');
    const personId = host.app.getSnapshot().context.user!.personId;
    await page.getByText(personId).waitFor();
    await page.getByText(dataDir).waitFor();
    await page.getByText(/Pairing a phone or another computer/).waitFor();
    await shot('ui-devices');
  });

  it('lists providers, models, tools and the data folder under Settings', async () => {
    await open('Settings');
    await page.getByRole('heading', { name: 'Ollama' }).waitFor();
    await page.getByText(/Healthy/).first().waitFor();
    await page.getByRole('heading', { name: 'Embedded model' }).waitFor();
    await page.getByLabel('Approval for Delete file').waitFor();
    await shot('ui-settings');
    await page.getByLabel('Approval for Search Messages').scrollIntoViewIfNeeded();
    await shot('ui-settings-tools');

    // A rule set here reaches the host's policy.
    await page.getByLabel('Approval for Delete file').selectOption('block');
    await expect.poll(() => host.ai()!.tools.tools.policy.servers.lama?.block).toEqual(['delete_file']);
    await page.getByLabel('Approval for Delete file').selectOption('');
    await expect.poll(() => host.ai()!.tools.tools.policy.servers.lama).toBeUndefined();

    // Adding a provider: the form, then the host's answer in the list.
    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.getByRole('form', { name: 'Add an AI provider' }).waitFor();
    await shot('ui-settings-add-provider');
    await page.getByLabel('Endpoint').fill(ollama.url);
    await page.getByRole('button', { name: 'Save and check' }).click();
    await page.getByText('Ollama added: 1 model.').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Remove Ollama (ollama-2)' }).click();
    await expect.poll(() => host.ai()!.manager.providers().map((p) => p.id)).toEqual(['embedded', 'ollama']);
  }, 60_000);

  it('counts the archive and shows the sync under Data', async () => {
    await open('Data');
    await page.getByRole('rowheader', { name: 'Person' }).waitFor();
    await page.getByText('This browser').waitFor({ timeout: 15_000 });
    await page.getByText('crypto-0', { exact: true }).waitFor();
    await page.getByText('sync-0', { exact: true }).waitFor();
    await shot('ui-data');
    await page.getByText('sync-0', { exact: true }).scrollIntoViewIfNeeded();
    await shot('ui-data-sync-and-workers');
  });

  it('follows a dark OS theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await open('Contacts');
    await page.getByText('tiny:1b').first().waitFor();
    await shot('ui-contacts-dark');
    await open('Settings');
    await page.getByRole('heading', { name: 'Ollama' }).waitFor();
    await shot('ui-settings-dark');
    await open('Data');
    await page.getByRole('rowheader', { name: 'Person' }).waitFor();
    await shot('ui-data-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('folds the rail to icons in a narrow window', async () => {
    await page.setViewportSize({ width: 720, height: 800 });
    await open('Contacts');
    await page.getByText('tiny:1b').first().waitFor();
    await shot('ui-contacts-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('asks for the passphrase again after a reload, and goes straight to the app', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Unlock LAMA' }).waitFor();
    await shot('ui-unlock');
    await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await rail().waitFor({ timeout: 45_000 });
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await page.title()).toBe('Chats · LAMA');
    expect(errors).toEqual([]);
  }, 60_000);
});
