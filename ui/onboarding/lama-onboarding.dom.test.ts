import { afterEach, describe, expect, it } from 'vitest';
import type { LamaProvisionEvent } from '../events.ts';
import './lama-onboarding.ts';
import type { LamaOnboarding } from './lama-onboarding.ts';

async function mount(mode: 'create' | 'unlock'): Promise<LamaOnboarding> {
  const el = document.createElement('lama-onboarding');
  el.mode = mode;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function fill(el: LamaOnboarding, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    const input = el.shadowRoot!.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
    input.value = value;
  }
}

async function submit(el: LamaOnboarding): Promise<LamaProvisionEvent[]> {
  const sent: LamaProvisionEvent[] = [];
  el.addEventListener('lama-provision', (event) => sent.push(event));
  el.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
  await el.updateComplete;
  return sent;
}

describe('lama-onboarding', () => {
  afterEach(() => document.body.replaceChildren());

  it('sends the name and passphrase when both are acceptable', async () => {
    const el = await mount('create');
    fill(el, { name: '  Ada  ', passphrase: 'long enough', confirm: 'long enough' });
    const sent = await submit(el);
    expect(sent.map((e) => e.detail)).toEqual([{ name: 'Ada', passphrase: 'long enough' }]);
    expect(sent[0]!.composed).toBe(true);
  });

  it('explains what is wrong instead of sending', async () => {
    const el = await mount('create');
    fill(el, { name: 'Ada', passphrase: 'short', confirm: 'short' });
    expect(await submit(el)).toEqual([]);
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).toContain('at least 8 characters');
    fill(el, { passphrase: 'long enough', confirm: 'different one' });
    expect(await submit(el)).toEqual([]);
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).toContain('differ');
  });

  it('asks only for the passphrase when unlocking, and shows the host\'s refusal in plain words', async () => {
    const el = await mount('unlock');
    expect(el.shadowRoot!.querySelector('input[name="name"]')).toBeNull();
    el.error = { code: 'WRONG_PASSPHRASE', message: 'the passphrase does not unlock this identity' };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).toBe('That passphrase does not unlock this archive.');
    fill(el, { passphrase: 'long enough' });
    expect((await submit(el)).map((e) => e.detail.passphrase)).toEqual(['long enough']);
  });

  it('labels every input for assistive technology', async () => {
    const el = await mount('create');
    for (const input of el.shadowRoot!.querySelectorAll('input')) expect(input.getAttribute('aria-label')).toBeTruthy();
  });
});
