import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { chatViewEffects } from '../../actors/browser/chat-view-effects.ts';
import type { ChatControl } from '../../actors/browser/chat-source.ts';
import { chatWorld } from '../../actors/browser/chat-test-kit.ts';
import type { PayloadOf } from '../../hosts/ipc/channels.ts';
import { chatViewMachine } from '../../machines/chat-view.ts';
import { ADA, conversation, fakeChatView, TINY } from './chat-view-fake.ts';
import './lama-chat-view.ts';
import type { LamaChatView } from './lama-chat-view.ts';

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

async function until(check: () => boolean, what: string, timeout = 5_000): Promise<void> {
  const end = performance.now() + timeout;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await frame();
  }
}

function mount(actor: LamaChatView['actor']): LamaChatView {
  const view = document.createElement('lama-chat-view');
  view.style.cssText = 'display:flex; width: 800px; height: 600px';
  view.actor = actor;
  document.body.append(view);
  return view;
}

const list = (view: LamaChatView) => view.shadowRoot!.querySelector('lama-message-list')!;
const inList = <E extends Element = HTMLElement>(view: LamaChatView, selector: string) => list(view)?.shadowRoot?.querySelector<E>(selector) ?? null;
const info = { name: 'Tiny', participants: [ADA, TINY] };

/** The host's side of orchestration, recorded; status:aiStream pushed by the test. */
function fakeHost() {
  const calls: { channel: string; request: unknown }[] = [];
  const listeners = new Set<(payload: PayloadOf<'status:aiStream'>) => void>();
  const control: ChatControl = {
    orchestrate: async (channel, request) => {
      calls.push({ channel, request });
      return {} as never;
    },
    onPush: (_channel, listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { control, calls, push: (payload: PayloadOf<'status:aiStream'>) => listeners.forEach((l) => l(payload)) };
}

describe('lama-chat-view', () => {
  afterEach(() => document.body.replaceChildren());

  it('shows the topic, focuses the composer, and sends what is typed with Enter', async () => {
    const fake = fakeChatView({ info, messages: conversation(5) });
    fake.actor.start();
    const view = mount(fake.actor);
    await until(() => list(view) !== null, 'the conversation');
    expect(view.shadowRoot!.querySelector('h2')!.textContent).toBe('Tiny');
    expect(view.shadowRoot!.querySelector('.people')!.textContent).toBe('You and Tiny (AI)');
    const composer = view.shadowRoot!.querySelector('lama-composer')!;
    await until(() => composer.shadowRoot!.activeElement?.tagName === 'TEXTAREA', 'the composer focused');
    const field = composer.shadowRoot!.querySelector('textarea')!;
    field.value = 'Hello there';
    field.dispatchEvent(new InputEvent('input'));
    await composer.updateComplete;
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
    await until(() => fake.sent.length === 1, 'the send');
    expect(fake.sent).toEqual(['Hello there']);
    await until(() => [...list(view).shadowRoot!.querySelectorAll('[role="article"]')].some((a) => a.textContent!.includes('Hello there') && !a.classList.contains('pending')), 'the sent message');
  });

  it('draws a streaming answer at most once per animation frame, with the latest text', async () => {
    const fake = fakeChatView({ info, messages: conversation(3) });
    fake.actor.start();
    const view = mount(fake.actor);
    await until(() => list(view) !== null, 'the conversation');
    await frame();
    const render = vi.spyOn(view, 'render');
    let text = '';
    // 60 updates land within one frame (a fast provider, a burst after a stall).
    for (let i = 0; i < 60; i++) fake.stream({ aiPerson: TINY.id, phase: 'streaming', text: (text += `word${i} `) });
    expect(render).not.toHaveBeenCalled();
    await frame();
    await frame();
    expect(render).toHaveBeenCalledTimes(1);
    await until(() => inList(view, '.stream .text')?.textContent?.includes('word59') === true, 'the streamed text');
    // Spread over frames, every frame shows at most one render.
    render.mockClear();
    const perFrame: number[] = [];
    for (let f = 0; f < 10; f++) {
      const before = render.mock.calls.length;
      for (let i = 0; i < 5; i++) fake.stream({ aiPerson: TINY.id, phase: 'streaming', text: (text += `more${f}.${i} `) });
      await frame();
      perFrame.push(render.mock.calls.length - before);
    }
    expect(Math.max(...perFrame)).toBeLessThanOrEqual(1);
    expect(render.mock.calls.length).toBeGreaterThanOrEqual(8);
    expect(inList(view, '.stream .phase')!.textContent).toBe('Writing…');
  });

  it('stops an answer, asks before a tool runs with its full arguments, and sends the decision by orchestration', async () => {
    let clock = 1_000;
    const world = await chatWorld({ now: () => clock++ });
    const { idHash: topic } = await world.chat.createTopic({ name: 'Files', participants: [world.ai.personId, world.node.personId] });
    await world.chat.send(topic, 'Tidy up my downloads');
    const host = fakeHost();
    const actor = createActor(chatViewMachine.provide({ actors: chatViewEffects(world.source, host.control) }), { input: { topic } }).start();
    const view = mount(actor);
    await until(() => list(view) !== null, 'the conversation');

    const args = { path: '/home/ada/Downloads/old-report.pdf', options: { recursive: false, reasons: ['duplicate', 'older than a year'] } };
    host.push({ topic, aiPerson: world.ai.personId, phase: 'approval', text: 'I will delete the duplicate.', approval: { call: { id: 'call-7', name: 'delete_file', arguments: args }, title: 'Delete a file', reason: 'Deleting changes your files.', destructive: true } });
    await until(() => inList(view, 'lama-approval-card') !== null, 'the approval card');
    const card = inList(view, 'lama-approval-card')!;
    await (card as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    expect(card.shadowRoot!.querySelector('h3')!.textContent).toContain('delete_file');
    expect(JSON.parse(card.shadowRoot!.querySelector('.arguments')!.textContent!)).toEqual(args);
    expect(card.shadowRoot!.querySelector('.arguments')!.textContent).toBe(JSON.stringify(args, null, 2));
    const buttons = [...card.shadowRoot!.querySelectorAll('button')];
    expect(buttons.map((b) => b.textContent!.trim())).toEqual(['Allow once', 'Always allow', 'Deny']);

    buttons[1]!.click();
    await until(() => host.calls.length === 1, 'the decision');
    expect(host.calls[0]).toEqual({ channel: 'orchestrate:aiApprove', request: { topic, aiPerson: world.ai.personId, callId: 'call-7', choice: 'alwaysAllow' } });
    await until(() => card.shadowRoot!.querySelector('button')!.disabled, 'the buttons waiting');

    host.push({ topic, aiPerson: world.ai.personId, phase: 'streaming', text: 'Deleting' });
    await until(() => inList(view, 'button.stop') !== null, 'the Stop button');
    inList<HTMLButtonElement>(view, 'button.stop')!.click();
    await until(() => host.calls.length === 2, 'the stop');
    expect(host.calls[1]).toEqual({ channel: 'orchestrate:aiAnswer', request: { topic, aiPerson: world.ai.personId, action: 'cancel' } });
    await until(() => inList(view, 'button.stop')?.textContent?.includes('Stopping') === true, 'the stop shown');

    // The answer was cut short: it is stored incomplete, and the provider's failure is a note with Retry.
    host.push({ topic, aiPerson: world.ai.personId, phase: 'failed', text: 'Deleting', error: { code: 'UNREACHABLE', message: 'Ollama did not answer' } });
    await world.sendAs(world.ai, topic, 'Deleting', { incomplete: true });
    await world.sendAs(world.ai, topic, 'Tiny could not answer: Ollama did not answer at http://127.0.0.1:11434.', { kind: 'system' });
    await until(() => inList(view, '.row.system') !== null && inList(view, '.stream') === null, 'the failure note');
    expect(inList(view, '.incomplete')!.textContent).toContain('Incomplete');
    inList<HTMLButtonElement>(view, '.row.system button')!.click();
    await until(() => host.calls.length === 3, 'the retry');
    expect(host.calls[2]).toEqual({ channel: 'orchestrate:aiAnswer', request: { topic, aiPerson: world.ai.personId, action: 'retry' } });
    actor.stop();
  });

  it('tells why a command failed, and the buttons work again', async () => {
    const host = fakeHost();
    host.control.orchestrate = async () => {
      throw Object.assign(new Error('not ready'), { code: 'NOT_READY' });
    };
    const world = await chatWorld();
    const { idHash: topic } = await world.chat.createTopic({ name: 'Tiny', participants: [world.ai.personId] });
    const actor = createActor(chatViewMachine.provide({ actors: chatViewEffects(world.source, host.control) }), { input: { topic } }).start();
    const view = mount(actor);
    await waitFor(actor, (s) => s.matches('ready'));
    host.push({ topic, aiPerson: world.ai.personId, phase: 'thinking', text: '' });
    await until(() => inList(view, 'button.stop') !== null, 'the Stop button');
    inList<HTMLButtonElement>(view, 'button.stop')!.click();
    await until(() => view.shadowRoot!.querySelector('.notice-bar') !== null, 'the notice');
    expect(view.shadowRoot!.querySelector('.notice-bar')!.textContent).toContain('The AI is not running on your LAMA archive right now.');
    await until(() => inList<HTMLButtonElement>(view, 'button.stop')?.disabled === false, 'Stop enabled again');
    view.shadowRoot!.querySelector<HTMLButtonElement>('.notice-bar button')!.click();
    await until(() => view.shadowRoot!.querySelector('.notice-bar') === null, 'the notice dismissed');
    actor.stop();
  });

  it('says when the link is down, and offers to try again when a topic cannot be opened', async () => {
    const fake = fakeChatView({ info, messages: conversation(2) });
    fake.actor.start();
    const view = mount(fake.actor);
    await until(() => list(view) !== null, 'the conversation');
    fake.online(false);
    await until(() => view.shadowRoot!.querySelector('.badge.warn') !== null, 'the offline badge');
    expect(view.shadowRoot!.querySelector('lama-composer')!.hint).toContain('Offline');
    expect(view.shadowRoot!.querySelector('lama-composer')!.disabled).toBe(false);

    const world = await chatWorld();
    const actor = createActor(chatViewMachine.provide({ actors: chatViewEffects(world.source, fakeHost().control) }), { input: { topic: 'e'.repeat(64) } }).start();
    view.actor = actor;
    await until(() => view.shadowRoot!.querySelector('.empty.failed') !== null, 'the failure');
    expect(view.shadowRoot!.querySelector('.empty.failed')!.textContent).toContain('This chat has not reached this device yet.');
    expect(view.shadowRoot!.querySelector('lama-composer')!.disabled).toBe(true);
    view.shadowRoot!.querySelector<HTMLButtonElement>('.empty.failed button')!.click();
    await waitFor(actor, (s) => s.matches('failed'));
    actor.stop();
  });
});
