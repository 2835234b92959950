import { afterEach, describe, expect, it } from 'vitest';
import { fakeServices, mount, settle, textOf } from '../app/services-test-kit.ts';
import type { LamaSetupDoneEvent } from '../app/app-events.ts';
import type { Provider } from '../settings/provider-kinds.ts';
import { preselect, type LamaProviderSetup } from './lama-provider-setup.ts';
import './lama-provider-setup.ts';

const embedded: Provider = { id: 'embedded', kind: 'embedded', hasKey: false, persisted: false, health: { status: 'ok', latencyMs: 2 }, checkedAt: 1, models: [] };
const ollama: Provider = { id: 'ollama', kind: 'ollama', endpoint: 'http://127.0.0.1:11434', hasKey: false, persisted: true, health: { status: 'ok', latencyMs: 9 }, checkedAt: 1, models: [{ id: 'llama3.2:1b', name: 'llama3.2:1b', tools: true }] };

async function setup(providers: Provider[], handlers: Parameters<typeof fakeServices>[0] = {}) {
  const fake = fakeServices({ 'orchestrate:detectProviders': async () => ({ providers }), ...handlers });
  const el = document.createElement('lama-provider-setup');
  el.services = fake.services;
  const done: (string | undefined)[] = [];
  el.addEventListener('lama-setup-done', (event: LamaSetupDoneEvent) => done.push(event.detail.provider));
  await mount(el);
  return { el, done, ...fake };
}

const radios = (el: LamaProviderSetup) => [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
const button = (el: LamaProviderSetup, text: string) => [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === text)!;

describe('lama-provider-setup', () => {
  afterEach(() => document.body.replaceChildren());

  it('looks for local servers, lists what the host offers with the embedded model preselected, and Claude', async () => {
    const { el, requests } = await setup([ollama, embedded]);
    expect(requests('orchestrate:detectProviders')).toHaveLength(1);
    expect(radios(el).map((r) => [r.value, r.checked])).toEqual([
      ['embedded', true],
      ['ollama', false],
      ['claude', false],
    ]);
    const text = textOf(el);
    expect(text).toContain('Its model (about 400 MB) is not on this computer yet.');
    expect(text).toContain('Found on this computer at http://127.0.0.1:11434.');
    expect(text).toContain('1 model: llama3.2:1b');
  });

  it('continues with the chosen provider, or with none when skipped', async () => {
    const { el, done } = await setup([embedded, ollama]);
    radios(el)[1]!.click();
    await el.updateComplete;
    button(el, 'Continue').click();
    button(el, 'Skip for now').click();
    expect(done).toEqual(['ollama', undefined]);
  });

  it('says when no local server was found', async () => {
    const { el } = await setup([embedded]);
    expect(textOf(el)).toContain('No Ollama or LM Studio found on this computer.');
  });

  it('saves Claude with the key typed, and takes a refused key out again', async () => {
    let accept = false;
    const { el, done, requests } = await setup([embedded], {
      'orchestrate:saveProvider': async ({ id }) => ({
        provider: { id, kind: 'claude', hasKey: true, persisted: true, health: accept ? { status: 'ok', latencyMs: 90 } : { status: 'unauthorized', message: 'refused' }, checkedAt: 1, models: [] },
      }),
      'orchestrate:removeProvider': async () => ({}),
    });
    radios(el).at(-1)!.click();
    await el.updateComplete;
    const key = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="apiKey"]')!;
    key.value = 'sk-ant-wrong';
    button(el, 'Continue').click();
    await settle(el);
    expect(requests('orchestrate:saveProvider')).toEqual([{ id: 'claude', kind: 'claude', apiKey: 'sk-ant-wrong' }]);
    expect(requests('orchestrate:removeProvider')).toEqual([{ id: 'claude' }]);
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).toContain('Anthropic refused this key');
    expect(done).toEqual([]);

    accept = true;
    key.value = 'sk-ant-right';
    button(el, 'Continue').click();
    await settle(el);
    expect(done).toEqual(['claude']);
  });

  it('preselects the embedded model, else the first healthy provider with models', () => {
    expect(preselect([ollama, embedded])).toBe('embedded');
    expect(preselect([{ ...ollama, id: 'down', health: { status: 'unreachable', message: 'x' } }, ollama])).toBe('ollama');
    expect(preselect([])).toBeUndefined();
  });
});
