import { afterEach, describe, expect, it } from 'vitest';
import { fakeServices, mount, textOf } from '../app/services-test-kit.ts';
import type { LamaDevices } from './lama-devices.ts';
import './lama-devices.ts';

const NODE = { personId: 'a'.repeat(64), instanceId: 'b'.repeat(64), name: 'Ada' };
const BROWSER = { personId: 'c'.repeat(64), instanceId: 'd'.repeat(64) };

async function devices(props: Partial<LamaDevices>): Promise<LamaDevices> {
  const el = document.createElement('lama-devices');
  el.services = fakeServices({ 'orchestrate:hostInfo': async () => ({ dataDir: '/home/ada/.local/share/lama', federationUrl: 'ws://127.0.0.1:8765' }) }).services;
  Object.assign(el, { node: NODE, browser: BROWSER, ...props });
  return mount(el);
}

describe('lama-devices', () => {
  afterEach(() => document.body.replaceChildren());

  it('shows this computer\'s identity: the person, both instances, the federation address and the data folder', async () => {
    const el = await devices({ host: 'connected', federation: 'up', sync: { done: 5, total: 5 } });
    const facts = Object.fromEntries([...el.shadowRoot!.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling!.textContent!.trim()]));
    expect(facts).toEqual({
      You: 'Ada',
      Person: NODE.personId,
      'Node instance': NODE.instanceId,
      "This browser's person": BROWSER.personId,
      "This browser's instance": BROWSER.instanceId,
      Federation: 'ws://127.0.0.1:8765',
      'Data folder': '/home/ada/.local/share/lama',
    });
    expect(el.shadowRoot!.querySelector('.link')!.getAttribute('aria-label')).toBe('Linked');
    expect(textOf(el)).toContain('Linked · in sync');
  });

  it('shows the link syncing, or not up, in words', async () => {
    const syncing = await devices({ host: 'connected', federation: 'up', sync: { done: 1, total: 4 } });
    expect(textOf(syncing)).toContain('Syncing 25%');
    document.body.replaceChildren();
    const down = await devices({ host: 'down', federation: 'linking' });
    expect(textOf(down)).toContain('Unreachable');
    expect(down.shadowRoot!.querySelector('.link')!.getAttribute('aria-label')).toBe('Not linked');
  });

  it('says honestly that other devices come with pairing, and offers no button for it', async () => {
    const el = await devices({});
    expect(textOf(el)).toContain('Pairing a phone or another computer comes with the Internet of Me update');
    expect(el.shadowRoot!.querySelectorAll('button')).toHaveLength(0);
  });
});
