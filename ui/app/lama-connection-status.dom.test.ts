import { afterEach, describe, expect, it } from 'vitest';
import type { LamaConnectionStatus } from './lama-connection-status.ts';
import './lama-connection-status.ts';
import { mount, textOf } from './services-test-kit.ts';

async function status(props: Partial<Pick<LamaConnectionStatus, 'host' | 'federation' | 'sync' | 'federationLabel'>>): Promise<LamaConnectionStatus> {
  const el = document.createElement('lama-connection-status');
  Object.assign(el, props);
  return mount(el);
}

const rows = (el: LamaConnectionStatus) => [...el.shadowRoot!.querySelectorAll('.row')].map((row) => [row.getAttribute('data-row'), row.classList.contains('ok') ? 'ok' : [...row.classList].find((c) => c !== 'row'), row.textContent!.trim()]);

describe('lama-connection-status', () => {
  afterEach(() => document.body.replaceChildren());

  it('says all is well in one status line and a row per link', async () => {
    const el = await status({ host: 'connected', federation: 'up', federationLabel: 'Linked to the Node instance', sync: { done: 10, total: 10 } });
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim()).toBe('Connected');
    expect(rows(el)).toEqual([
      ['host', 'ok', 'Connected to LAMA'],
      ['archive', 'ok', 'Linked to the Node instance'],
      ['sync', 'ok', 'Everything synced'],
    ]);
    expect(el.shadowRoot!.querySelector('progress')).toBeNull();
  });

  it('shows sync progress while objects are still coming', async () => {
    const el = await status({ host: 'connected', federation: 'up', sync: { done: 1_250, total: 5_000 } });
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).toContain('Syncing… 25%');
    expect(textOf(el)).toContain('Syncing 1,250 of 5,000');
    const bar = el.shadowRoot!.querySelector('progress')!;
    expect([bar.value, bar.max]).toEqual([1_250, 5_000]);
  });

  it('names the most important problem first', async () => {
    expect(textOf(await status({ host: 'down', federation: 'up' }))).toContain('Reconnecting to LAMA…');
    document.body.replaceChildren();
    const linking = await status({ host: 'connected', federation: 'linking', federationLabel: 'Looking for the Node instance…' });
    expect(linking.shadowRoot!.querySelector('[role="status"]')!.textContent).toContain('Linking to your archive…');
    expect(rows(linking).map((r) => r[2])).toEqual(['Connected to LAMA', 'Looking for the Node instance…', 'Sync waits for the link']);
    document.body.replaceChildren();
    expect((await status({ host: 'connected', federation: 'failed' })).shadowRoot!.querySelector('.summary.error')).not.toBeNull();
  });
});
