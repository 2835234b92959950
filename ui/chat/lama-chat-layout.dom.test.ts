import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserInstance } from '../../actors/browser/browser-instance.dom.ts';
import { chatWorld, type ChatWorld } from '../../actors/browser/chat-test-kit.ts';
import { InspectionCollector } from '../../actors/inspection/inspection-collector.ts';
import type { RendererServices } from '../services.ts';
import './lama-chat-layout.ts';
import type { LamaChatLayout } from './lama-chat-layout.ts';

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
async function until(check: () => boolean, what: string, timeout = 5_000): Promise<void> {
  const end = performance.now() + timeout;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await frame();
  }
}

function servicesFor(world: ChatWorld, instance: unknown = world.source) {
  const listeners = new Set<unknown>();
  const services: RendererServices = {
    instance: instance as BrowserInstance,
    collector: new InspectionCollector(),
    orchestrate: async () => ({}) as never,
    onPush: (_channel, listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { services, listeners };
}

function mount(services: RendererServices, width = 1000): LamaChatLayout {
  const layout = document.createElement('lama-chat-layout');
  layout.services = services;
  layout.style.cssText = `display:block; width: ${width}px; height: 600px`;
  document.body.append(layout);
  return layout;
}

const topicList = (layout: LamaChatLayout) => layout.shadowRoot!.querySelector('lama-topic-list')!;
const options = (layout: LamaChatLayout) => [...(topicList(layout)?.shadowRoot?.querySelectorAll<HTMLElement>('[role="option"]') ?? [])];
const view = (layout: LamaChatLayout) => layout.shadowRoot!.querySelector('lama-chat-view');
const heading = (layout: LamaChatLayout) => view(layout)?.shadowRoot?.querySelector('h2')?.textContent;

describe('lama-chat-layout', () => {
  afterEach(() => document.body.replaceChildren());

  it('opens the topic picked in the list beside it, and one chat view per open topic', async () => {
    let clock = 1_000_000;
    const world = await chatWorld({ now: () => (clock += 1_000) });
    await world.chat.createTopic({ name: 'Alpha', participants: [world.bob.personId] });
    await world.chat.createTopic({ name: 'Beta', participants: [world.ai.personId] });
    const { services, listeners } = servicesFor(world);
    const layout = mount(services);
    await until(() => options(layout).length === 2, 'the topics');
    expect(layout.shadowRoot!.querySelector('.welcome')!.textContent).toContain('Your conversations');
    options(layout)[1]!.click();
    await until(() => heading(layout) === 'Alpha', 'Alpha open');
    expect(layout.shadowRoot!.querySelector('.list')!.getBoundingClientRect().width).toBeGreaterThan(200);
    // The AI stream feed is followed for the open topic only.
    await until(() => listeners.size === 1, 'one stream subscription');
    // Alt+↑ opens the chat above.
    layout.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', altKey: true, bubbles: true, composed: true }));
    await until(() => heading(layout) === 'Beta', 'Beta open');
    await until(() => listeners.size === 1, 'still one stream subscription');
    layout.remove();
    expect(listeners.size).toBe(0);
  });

  it('takes turns on a narrow window, with a way back', async () => {
    const world = await chatWorld();
    await world.chat.createTopic({ name: 'Alpha', participants: [world.bob.personId] });
    const layout = mount(servicesFor(world).services, 480);
    await until(() => options(layout).length === 1, 'the topic');
    await until(() => layout.shadowRoot!.querySelector('.layout.narrow') !== null, 'the narrow layout');
    options(layout)[0]!.click();
    await until(() => heading(layout) === 'Alpha', 'Alpha open');
    expect(layout.shadowRoot!.querySelector('.list')!.getBoundingClientRect().width).toBe(0);
    view(layout)!.shadowRoot!.querySelector<HTMLButtonElement>('button.back')!.click();
    await until(() => view(layout) === null, 'back to the list');
    expect(layout.shadowRoot!.querySelector('.list')!.getBoundingClientRect().width).toBe(480);
  });

  it('opens the topic the shell names, at once and whenever it names another', async () => {
    const world = await chatWorld();
    const { idHash: alpha } = await world.chat.createTopic({ name: 'Alpha', participants: [world.bob.personId] });
    const layout = document.createElement('lama-chat-layout');
    layout.topic = alpha;
    layout.services = servicesFor(world).services;
    layout.style.cssText = 'display:block; width: 1000px; height: 600px';
    document.body.append(layout);
    await until(() => heading(layout) === 'Alpha', 'Alpha open');
    // Started elsewhere a moment ago: open before the list has even seen it.
    const { idHash: beta } = await world.chat.createTopic({ name: 'Beta', participants: [world.ai.personId] });
    layout.topic = beta;
    await until(() => heading(layout) === 'Beta', 'Beta open');
    await until(() => options(layout).find((o) => o.getAttribute('aria-selected') === 'true')?.textContent?.includes('Beta') === true, 'Beta selected in the list');
  });

  it('says so while the browser user is locked', async () => {
    const world = await chatWorld();
    const layout = mount(servicesFor(world, { ...world.source, chat: undefined }).services);
    await layout.updateComplete;
    expect(layout.shadowRoot!.querySelector('.locked')!.textContent).toContain('Unlock LAMA to see your chats.');
  });
});
