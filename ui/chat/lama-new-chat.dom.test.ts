import { afterEach, describe, expect, it } from 'vitest';
import type { LamaCreateTopicEvent } from './chat-events.ts';
import { BOB, TINY } from './chat-view-fake.ts';
import './lama-new-chat.ts';
import type { LamaNewChat } from './lama-new-chat.ts';

async function mount(contacts = [TINY, BOB]): Promise<{ dialog: LamaNewChat; created: LamaCreateTopicEvent['detail'][] }> {
  const dialog = document.createElement('lama-new-chat');
  dialog.contacts = contacts;
  document.body.append(dialog);
  await dialog.show();
  const created: LamaCreateTopicEvent['detail'][] = [];
  dialog.addEventListener('lama-create-topic', (event: LamaCreateTopicEvent) => created.push(event.detail));
  return { dialog, created };
}

const $ = <E extends Element = HTMLElement>(dialog: LamaNewChat, selector: string) => dialog.shadowRoot!.querySelector<E>(selector)!;

describe('lama-new-chat', () => {
  afterEach(() => document.body.replaceChildren());

  it('opens modal with the search field focused, groups AI models and people, and filters', async () => {
    const { dialog } = await mount();
    expect($<HTMLDialogElement>(dialog, 'dialog').open).toBe(true);
    expect(dialog.shadowRoot!.activeElement).toBe($(dialog, 'input[type="search"]'));
    expect([...dialog.shadowRoot!.querySelectorAll('legend')].map((l) => l.textContent)).toEqual(['AI models', 'People']);
    const search = $<HTMLInputElement>(dialog, 'input[type="search"]');
    search.value = 'bob';
    search.dispatchEvent(new InputEvent('input'));
    await dialog.updateComplete;
    expect([...dialog.shadowRoot!.querySelectorAll('.choice .name')].map((n) => n.textContent)).toEqual(['Bob Marley']);
    search.value = 'zed';
    search.dispatchEvent(new InputEvent('input'));
    await dialog.updateComplete;
    expect($(dialog, '.empty').textContent).toContain('Nobody matches');
  });

  it('creates with the name typed, or one made from who was picked', async () => {
    const { dialog, created } = await mount();
    for (const box of dialog.shadowRoot!.querySelectorAll<HTMLInputElement>('.choice input')) box.click();
    await dialog.updateComplete;
    expect($(dialog, '.count').textContent).toBe('2 selected');
    $<HTMLButtonElement>(dialog, 'button[type="submit"]').click();
    const name = $<HTMLInputElement>(dialog, 'input[name="name"]');
    name.value = '  Trip  ';
    name.dispatchEvent(new InputEvent('input'));
    await dialog.updateComplete;
    $<HTMLButtonElement>(dialog, 'button[type="submit"]').click();
    expect(created).toEqual([
      { name: 'Tiny, Bob Marley', participants: [TINY.id, BOB.id] },
      { name: 'Trip', participants: [TINY.id, BOB.id] },
    ]);
  });

  it('explains a refusal in words, waits while busy, and closes on Cancel', async () => {
    const { dialog, created } = await mount();
    dialog.shadowRoot!.querySelector<HTMLInputElement>('.choice input')!.click();
    dialog.error = { code: 'NOT_LINKED', message: 'not linked' };
    dialog.busy = true;
    await dialog.updateComplete;
    expect($(dialog, '[role="alert"]').textContent).toContain('not linked to your LAMA archive yet');
    expect($<HTMLButtonElement>(dialog, 'button[type="submit"]').disabled).toBe(true);
    expect(created).toEqual([]);
    [...dialog.shadowRoot!.querySelectorAll<HTMLButtonElement>('footer button')].find((b) => b.textContent === 'Cancel')!.click();
    expect(dialog.isOpen).toBe(false);
  });

  it('says where AI models come from when there are no contacts yet', async () => {
    const { dialog } = await mount([]);
    expect($(dialog, '.empty').textContent).toContain('AI models appear here once your LAMA archive has shared them');
  });
});
