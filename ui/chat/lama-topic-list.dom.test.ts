import { afterEach, describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { chatWorld, type ChatWorld } from '../../actors/browser/chat-test-kit.ts';
import { topicListEffects } from '../../actors/browser/topic-list-effects.ts';
import { memoryReadMarkers } from '../../actors/browser/topic-read-markers.ts';
import { topicListMachine } from '../../machines/topic-list.ts';
import './lama-topic-list.ts';
import type { LamaTopicList } from './lama-topic-list.ts';

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
async function until(check: () => boolean, what: string, timeout = 5_000): Promise<void> {
  const end = performance.now() + timeout;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await frame();
  }
}

async function mount(world: ChatWorld) {
  const actor = createActor(topicListMachine.provide(topicListEffects(world.source, memoryReadMarkers())), { input: {} }).start();
  const list = document.createElement('lama-topic-list');
  list.actor = actor;
  list.style.cssText = 'display:flex; width: 320px; height: 600px';
  document.body.append(list);
  return { actor, list };
}

const options = (list: LamaTopicList) => [...list.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]')];
const key = (target: Element, key: string) => target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }));

describe('lama-topic-list', () => {
  afterEach(() => document.body.replaceChildren());

  it('lists topics newest first with unread counts, previews and AI badges', async () => {
    let clock = 1_000_000;
    const world = await chatWorld({ now: () => (clock += 1_000) });
    const { idHash: group } = await world.chat.createTopic({ name: 'Plans', participants: [world.bob.personId, world.ai.personId] });
    const { idHash: bob } = await world.chat.createTopic({ name: 'Bob', participants: [world.bob.personId] });
    await world.sendAs(world.bob, group, 'Lunch?');
    await world.sendAs(world.ai, group, 'The **canteen** opens at noon.');
    await world.chat.send(bob, 'See you there');
    const { list, actor } = await mount(world);
    await until(() => options(list).length === 2, 'two topics');
    const [first, second] = options(list);
    expect(first!.querySelector('.name')!.textContent).toBe('Bob');
    expect(first!.querySelector('.preview')!.textContent).toBe('You: See you there');
    expect(first!.querySelector('.count')).toBeNull();
    expect(first!.querySelector('.ai-badge')).toBeNull();
    expect(second!.querySelector('.preview')!.textContent).toBe('Tiny: The canteen opens at noon.');
    expect(second!.querySelector('.count')!.textContent).toBe('2');
    expect(second!.querySelector('.ai-badge')!.textContent).toBe('AI');
    expect(second!.getAttribute('aria-label')).toContain('Plans, with AI, 2 unread');
    expect(list.shadowRoot!.querySelector('[role="listbox"]')!.getAttribute('aria-label')).toBe('Chats');

    // Opening it reads it.
    second!.click();
    await until(() => options(list)[1]!.querySelector('.count') === null, 'the count cleared');
    expect(options(list)[1]!.getAttribute('aria-selected')).toBe('true');
    expect(actor.getSnapshot().context.selected).toBe(group);
    actor.stop();
  });

  it('moves with the arrow keys, Home and End, opens with Enter, and filters by search', async () => {
    const world = await chatWorld();
    for (const name of ['One', 'Two', 'Three']) await world.chat.createTopic({ name, participants: [world.bob.personId] });
    const { list, actor } = await mount(world);
    await until(() => options(list).length === 3, 'three topics');
    const names = options(list).map((o) => o.querySelector('.name')!.textContent);
    // One option takes the tab stop; the rest are reached with the arrows.
    expect(options(list).map((o) => o.tabIndex)).toEqual([0, -1, -1]);
    options(list)[0]!.focus();
    key(options(list)[0]!, 'ArrowDown');
    await until(() => list.shadowRoot!.activeElement === options(list)[1], 'focus on the second');
    key(options(list)[1]!, 'End');
    await until(() => list.shadowRoot!.activeElement === options(list)[2], 'focus on the last');
    key(options(list)[2]!, 'Home');
    await until(() => list.shadowRoot!.activeElement === options(list)[0], 'focus on the first');
    key(options(list)[0]!, 'ArrowUp');
    key(options(list)[0]!, 'ArrowDown');
    await until(() => list.shadowRoot!.activeElement === options(list)[1], 'focus on the second again');
    key(options(list)[1]!, 'Enter');
    await waitFor(actor, (s) => s.context.selected !== undefined);
    expect(actor.getSnapshot().context.topics.find((t) => t.id === actor.getSnapshot().context.selected)!.name).toBe(names[1]);

    const search = list.shadowRoot!.querySelector<HTMLInputElement>('input[type="search"]')!;
    search.value = 'thr';
    search.dispatchEvent(new InputEvent('input'));
    await until(() => options(list).length === 1, 'the filtered list');
    expect(options(list)[0]!.querySelector('.name')!.textContent).toBe('Three');
    key(search, 'ArrowDown');
    await until(() => list.shadowRoot!.activeElement === options(list)[0], 'focus from the search into the list');
    actor.stop();
  });

  it('starts a chat with the AI contacts and people picked, the Node archive included', async () => {
    const world = await chatWorld();
    await world.chat.createTopic({ name: 'Bob', participants: [world.bob.personId] });
    const { list, actor } = await mount(world);
    await until(() => options(list).length === 1, 'the topic');
    list.shadowRoot!.querySelector<HTMLButtonElement>('button.new')!.click();
    const dialog = list.shadowRoot!.querySelector('lama-new-chat')!;
    await until(() => dialog.isOpen, 'the dialog');
    const choices = [...dialog.shadowRoot!.querySelectorAll<HTMLLabelElement>('label.choice')];
    expect(choices.map((c) => c.querySelector('.name')!.textContent)).toEqual(['Tiny', 'Bob']);
    const start = dialog.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    expect(start.disabled).toBe(true);
    for (const choice of choices) choice.querySelector('input')!.click();
    await dialog.updateComplete;
    expect(dialog.shadowRoot!.querySelector<HTMLInputElement>('input[name="name"]')!.placeholder).toBe('Tiny, Bob');
    start.click();
    const { context } = await waitFor(actor, (s) => s.context.selected !== undefined && s.matches({ ready: { create: 'idle' } }));
    const topic = await world.chat.topic(context.selected as never);
    expect(topic.name).toBe('Tiny, Bob');
    expect([...topic.participants].sort()).toEqual([world.person, world.node.personId, world.ai.personId, world.bob.personId].sort());
    await until(() => !dialog.isOpen, 'the dialog closed');
    actor.stop();
  });

  it('invites to start a first chat when there is none', async () => {
    const world = await chatWorld();
    const { list, actor } = await mount(world);
    await until(() => list.shadowRoot!.querySelector('.empty') !== null, 'the empty state');
    expect(list.shadowRoot!.querySelector('.empty')!.textContent).toContain('No chats yet');
    list.shadowRoot!.querySelector<HTMLButtonElement>('.empty button')!.click();
    await until(() => list.shadowRoot!.querySelector('lama-new-chat')!.isOpen, 'the dialog');
    actor.stop();
  });
});
