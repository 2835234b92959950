import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserInstance } from '../../actors/browser/browser-instance.dom.ts';
import { chatWorld } from '../../actors/browser/chat-test-kit.ts';
import type { LamaNavigateEvent } from '../app/app-events.ts';
import { fakeServices, mount, settle, textOf } from '../app/services-test-kit.ts';
import type { LamaContacts } from './lama-contacts.ts';
import './lama-contacts.ts';

async function setUp(world: Awaited<ReturnType<typeof chatWorld>>, instance: Partial<BrowserInstance> = world.source as unknown as BrowserInstance) {
  const el = document.createElement('lama-contacts');
  el.services = fakeServices({}, instance).services;
  const opened: { view: string; topic?: string }[] = [];
  el.addEventListener('lama-navigate', (event: LamaNavigateEvent) => opened.push(event.detail));
  await mount(el);
  await waitUntil(el, () => !textOf(el).includes('Loading contacts'));
  return { el, opened };
}

async function waitUntil(el: LamaContacts, done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    await el.updateComplete;
  }
  expect(done()).toBe(true);
}

const rows = (el: LamaContacts, section: string) => [...el.shadowRoot!.querySelectorAll(`section[aria-labelledby="${section}"] li`)].map((li) => li.querySelector('.name')!.textContent);
const button = (el: LamaContacts, label: string) => [...el.shadowRoot!.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent!.trim()) === label)!;

describe('lama-contacts', () => {
  afterEach(() => document.body.replaceChildren());

  it('lists the AI contacts with their model, and people only once a chat is shared with them', async () => {
    const world = await chatWorld();
    const { el } = await setUp(world);
    expect(rows(el, 'ai-heading')).toEqual(['Tiny']);
    expect(textOf(el)).toContain('Ollama · tiny:1b · 4K context · uses tools');
    expect(rows(el, 'people-heading')).toEqual([]);
    expect(textOf(el)).toContain('People you share chats with appear here');
    // The user's own persons (this browser's and the Node archive's) are never contacts.
    await world.chat.createTopic({ name: 'Lake', participants: [world.bob.personId, world.node.personId] });
    await waitUntil(el, () => rows(el, 'people-heading').length === 1);
    expect(rows(el, 'people-heading')).toEqual(['Bob']);
  });

  it('starts one chat with several contacts, the Node archive included, and opens it in Chats', async () => {
    const world = await chatWorld();
    await world.chat.createTopic({ name: 'Lake', participants: [world.bob.personId, world.node.personId] });
    const { el, opened } = await setUp(world);
    await waitUntil(el, () => rows(el, 'people-heading').length === 1);
    for (const name of ['Select Tiny', 'Select Bob']) el.shadowRoot!.querySelector<HTMLInputElement>(`input[aria-label="${name}"]`)!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[aria-label="Selected contacts"]')!.textContent).toContain('2 selected: Tiny, Bob');
    button(el, 'Start group chat').click();
    await waitUntil(el, () => opened.length === 1);
    const topic = await world.chat.topic(opened[0]!.topic as never);
    expect(opened[0]!.view).toBe('chats');
    expect(topic.name).toBe('Tiny, Bob');
    expect([...topic.participants].sort()).toEqual([world.person, world.node.personId, world.ai.personId, world.bob.personId].sort());
    expect(el.shadowRoot!.querySelector<HTMLElement>('[aria-label="Selected contacts"]')!.hidden).toBe(true);
  });

  it('opens the existing chat with a contact instead of starting a second one', async () => {
    const world = await chatWorld();
    const { el, opened } = await setUp(world);
    button(el, 'Chat with Tiny').click();
    await waitUntil(el, () => opened.length === 1);
    button(el, 'Chat with Tiny').click();
    await waitUntil(el, () => opened.length === 2);
    expect(opened[1]!.topic).toBe(opened[0]!.topic);
    expect((await world.chat.topics()).map((t) => t.topic.name)).toEqual(['Tiny']);
  });

  it('filters by name or model, and says when nothing matches', async () => {
    const world = await chatWorld();
    const { el } = await setUp(world);
    const filter = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="search"]')!;
    filter.value = 'TINY:1';
    filter.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    expect(rows(el, 'ai-heading')).toEqual(['Tiny']);
    filter.value = 'nobody';
    filter.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    expect(textOf(el)).toContain('Nobody matches “nobody”.');
  });

  it('waits for the link to the archive before it can list AI models', async () => {
    const world = await chatWorld();
    const { el } = await setUp(world, { ...world.source, nodePerson: undefined, aiContacts: async () => [], chat: world.chat, store: world.store } as unknown as BrowserInstance);
    await settle(el);
    expect(textOf(el)).toContain('Waiting for the link to your archive');
  });
});

describe('lama-contacts and the providers', () => {
  afterEach(() => document.body.replaceChildren());

  it('marks an AI contact whose provider was removed, or cannot be reached, and names a second provider of one kind', async () => {
    const world = await chatWorld();
    const el = document.createElement('lama-contacts');
    const fake = fakeServices({ 'orchestrate:aiProviders': async () => ({ providers: [] }) }, world.source as unknown as BrowserInstance);
    el.services = fake.services;
    await mount(el);
    await waitUntil(el, () => textOf(el).includes('Provider removed'));
    fake.push('status:aiProviders', { providers: [{ id: 'ollama', kind: 'ollama', hasKey: false, persisted: true, health: { status: 'unreachable', message: 'nothing answers at 127.0.0.1:11434' }, checkedAt: 1, models: [] }] });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.name .badge')!.textContent).toBe('Not reachable');
    expect(el.shadowRoot!.querySelector('.name .badge')!.getAttribute('title')).toBe('nothing answers at 127.0.0.1:11434');
  });

  it('words an AI contact\'s model and provider', async () => {
    const { describeAi, initials } = await import('./lama-contacts.ts');
    expect(describeAi({ providerKind: 'ollama', provider: 'ollama-2', modelId: 'tiny:1b', contextLength: 4096, tools: false })).toBe('Ollama (ollama-2) · tiny:1b · 4K context');
    expect(describeAi({ providerKind: 'claude', provider: 'claude', modelId: 'claude-x', contextLength: 0, tools: true })).toBe('Claude · claude-x · uses tools');
    expect(initials('Ada Lovelace')).toBe('AL');
  });
});
