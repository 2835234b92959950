import { afterEach, describe, expect, it } from 'vitest';
import type { LamaSendEvent } from './chat-events.ts';
import './lama-composer.ts';
import type { LamaComposer } from './lama-composer.ts';

async function mount(): Promise<{ el: LamaComposer; field: HTMLTextAreaElement; sent: string[] }> {
  const el = document.createElement('lama-composer');
  el.style.width = '600px';
  document.body.append(el);
  await el.updateComplete;
  const sent: string[] = [];
  el.addEventListener('lama-send', (event: LamaSendEvent) => sent.push(event.detail.text));
  return { el, field: el.shadowRoot!.querySelector('textarea')!, sent };
}

function type(field: HTMLTextAreaElement, text: string): void {
  field.value = text;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

function press(field: HTMLTextAreaElement, init: KeyboardEventInit): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { bubbles: true, composed: true, cancelable: true, ...init });
  field.dispatchEvent(event);
  return event;
}

describe('lama-composer', () => {
  afterEach(() => document.body.replaceChildren());

  it('sends on Enter and clears the field; blank text is never sent', async () => {
    const { el, field, sent } = await mount();
    type(field, '   ');
    await el.updateComplete;
    press(field, { key: 'Enter' });
    expect(sent).toEqual([]);
    type(field, 'Hello **Tiny**');
    await el.updateComplete;
    const enter = press(field, { key: 'Enter' });
    await el.updateComplete;
    expect(sent).toEqual(['Hello **Tiny**']);
    expect(enter.defaultPrevented).toBe(true);
    expect(field.value).toBe('');
    expect(el.shadowRoot!.activeElement).toBe(field);
  });

  it('leaves Shift+Enter (a new line) and Enter while an input method composes to the field', async () => {
    const { el, field, sent } = await mount();
    type(field, 'line one');
    await el.updateComplete;
    expect(press(field, { key: 'Enter', shiftKey: true }).defaultPrevented).toBe(false);
    expect(press(field, { key: 'Enter', isComposing: true }).defaultPrevented).toBe(false);
    expect(sent).toEqual([]);
  });

  it('grows with its text up to a limit, then scrolls', async () => {
    const { el, field } = await mount();
    const oneLine = field.getBoundingClientRect().height;
    type(field, 'a\nb\nc\nd');
    await el.updateComplete;
    const fourLines = field.getBoundingClientRect().height;
    expect(fourLines).toBeGreaterThan(oneLine * 2.2);
    type(field, Array.from({ length: 80 }, (_, i) => `line ${i}`).join('\n'));
    await el.updateComplete;
    const capped = field.getBoundingClientRect().height;
    expect(capped).toBeLessThan(innerHeight * 0.45);
    expect(field.scrollHeight).toBeGreaterThan(field.clientHeight);
  });

  it('sends with the button too, and not at all while disabled', async () => {
    const { el, field, sent } = await mount();
    const button = el.shadowRoot!.querySelector<HTMLButtonElement>('button.send')!;
    expect(button.disabled).toBe(true);
    type(field, 'via the button');
    await el.updateComplete;
    button.click();
    expect(sent).toEqual(['via the button']);
    el.disabled = true;
    el.hint = 'Unlock LAMA to write';
    await el.updateComplete;
    expect(field.disabled).toBe(true);
    expect(el.shadowRoot!.querySelector('.hint')!.textContent).toContain('Unlock LAMA to write');
    type(field, 'no');
    press(field, { key: 'Enter' });
    expect(sent).toEqual(['via the button']);
  });

  it('labels the field and the button, and refuses a message over the limit with the reason', async () => {
    const { el, field } = await mount();
    el.label = 'Message Tiny';
    await el.updateComplete;
    expect(field.getAttribute('aria-label')).toBe('Message Tiny');
    expect(el.shadowRoot!.querySelector('button.send')!.getAttribute('aria-label')).toBe('Send message');
    type(field, 'x'.repeat(100_001));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector<HTMLButtonElement>('button.send')!.disabled).toBe(true);
    expect(el.shadowRoot!.querySelector('.hint')!.textContent).toContain('Too long');
  });
});
