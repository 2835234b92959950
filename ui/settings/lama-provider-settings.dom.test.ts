import { afterEach, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../hosts/ipc/channels.ts';
import { OrchestrationError } from '../../hosts/ipc/orchestration-error.ts';
import { fakeServices, mount, settle, textOf } from '../app/services-test-kit.ts';
import type { LamaProviderSettings } from './lama-provider-settings.ts';
import './lama-provider-settings.ts';
import { describeHealth, freeProviderId, relativeTime, type Provider } from './provider-kinds.ts';

const embedded: Provider = { id: 'embedded', kind: 'embedded', hasKey: false, persisted: false, health: { status: 'ok', latencyMs: 4 }, checkedAt: Date.now(), models: [] };
const ollama: Provider = {
  id: 'ollama',
  kind: 'ollama',
  endpoint: 'http://127.0.0.1:11434',
  hasKey: false,
  persisted: true,
  health: { status: 'ok', latencyMs: 12.4 },
  checkedAt: Date.now(),
  models: [
    { id: 'llama3.2:1b', name: 'llama3.2:1b', contextLength: 131072, tools: true },
    { id: 'qwen2.5:0.5b', name: 'qwen2.5:0.5b', tools: false },
  ],
};
const claude: Provider = { id: 'claude', kind: 'claude', hasKey: true, persisted: true, health: { status: 'unauthorized', message: 'the API key was refused (401)' }, checkedAt: Date.now(), models: [] };

async function settings(providers: Provider[], handlers: Parameters<typeof fakeServices>[0] = {}) {
  let list = providers;
  const fake = fakeServices({
    'orchestrate:aiProviders': async () => ({ providers: list }),
    'orchestrate:checkProvider': async () => ({ health: { status: 'ok', latencyMs: 3 } }),
    'orchestrate:removeProvider': async ({ id }) => {
      list = list.filter((p) => p.id !== id);
      return {};
    },
    ...handlers,
  });
  const el = document.createElement('lama-provider-settings');
  el.services = fake.services;
  await mount(el);
  return { el, ...fake, setList: (next: Provider[]) => (list = next) };
}

const providerRows = (el: LamaProviderSettings) => [...el.shadowRoot!.querySelectorAll('li.provider')].map((li) => li.querySelector('h3')!.textContent);
const byLabel = (el: LamaProviderSettings, label: string) => el.shadowRoot!.querySelector<HTMLButtonElement>(`[aria-label="${label}"]`)!;

describe('lama-provider-settings', () => {
  afterEach(() => document.body.replaceChildren());

  it('lists each provider with its health, key state and models; the built-in one cannot be removed', async () => {
    const { el } = await settings([embedded, ollama, claude]);
    expect(providerRows(el)).toEqual(['Embedded model', 'Ollama', 'Claude']);
    const text = textOf(el);
    expect(text).toContain('Healthy · 12 ms');
    expect(text).toContain('Key refused');
    expect(text).toContain('the API key was refused (401)');
    expect(text).toContain('API key set');
    expect(text).toContain('llama3.2:1b');
    expect(text).toContain('No model on this computer yet.');
    expect(byLabel(el, 'Remove Embedded model (embedded)')).toBeNull();
    expect(byLabel(el, 'Remove Ollama (ollama)')).not.toBeNull();
  });

  it('checks a provider now and removes one, then shows the host\'s list', async () => {
    const { el, requests } = await settings([embedded, ollama]);
    byLabel(el, 'Check Ollama now').click();
    await settle(el);
    expect(requests('orchestrate:checkProvider')).toEqual([{ id: 'ollama' }]);
    byLabel(el, 'Remove Ollama (ollama)').click();
    await settle(el);
    expect(requests('orchestrate:removeProvider')).toEqual([{ id: 'ollama' }]);
    expect(providerRows(el)).toEqual(['Embedded model']);
  });

  it('follows status:aiProviders pushes', async () => {
    const { el, push } = await settings([embedded]);
    push('status:aiProviders', { providers: [embedded, ollama] });
    await el.updateComplete;
    expect(providerRows(el)).toEqual(['Embedded model', 'Ollama']);
  });

  it('adds a provider with endpoint and key, and says what its first check found', async () => {
    const saved: ResponseOf<'orchestrate:saveProvider'>['provider'] = { ...claude, id: 'claude', health: { status: 'ok', latencyMs: 80 }, models: [{ id: 'claude-x', name: 'Claude X', tools: true }] };
    const { el, requests, setList } = await settings([embedded, ollama], {
      'orchestrate:saveProvider': async () => {
        setList([embedded, ollama, saved]);
        return { provider: saved };
      },
    });
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-expanded]')!.click();
    await el.updateComplete;
    const form = el.shadowRoot!.querySelector('form')!;
    const kind = form.querySelector<HTMLSelectElement>('select[name="kind"]')!;
    kind.value = 'claude';
    kind.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(form.querySelector<HTMLInputElement>('input[name="id"]')!.value).toBe('claude');
    expect(form.querySelector<HTMLInputElement>('input[name="apiKey"]')!.required).toBe(true);
    form.querySelector<HTMLInputElement>('input[name="apiKey"]')!.value = '  sk-ant-secret ';
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await settle(el);
    expect(requests('orchestrate:saveProvider')).toEqual([{ id: 'claude', kind: 'claude', apiKey: 'sk-ant-secret' }]);
    expect(textOf(el)).toContain('Claude added: 1 model.');
    expect(textOf(el)).not.toContain('sk-ant-secret');
    expect(el.shadowRoot!.querySelector('form')).toBeNull();
  });

  it('shows the host\'s refusal', async () => {
    const { el } = await settings([embedded, ollama], {
      'orchestrate:removeProvider': async () => {
        throw new OrchestrationError('UNKNOWN_PROVIDER', 'no provider "ollama" is configured');
      },
    });
    byLabel(el, 'Remove Ollama (ollama)').click();
    await settle(el);
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).toContain('no provider "ollama" is configured');
  });
});

describe('provider words', () => {
  it('words health, picks free ids and says how long ago', () => {
    expect(describeHealth(null)).toEqual({ tone: 'busy', text: 'Checking…' });
    expect(describeHealth({ status: 'unreachable', message: 'x' }).text).toBe('Not reachable');
    expect(freeProviderId('ollama', ['ollama', 'ollama-2'])).toBe('ollama-3');
    expect(relativeTime(null)).toBe('never');
    expect(relativeTime(1_000, 1_000 + 90_000)).toBe('2 min ago');
  });
});
