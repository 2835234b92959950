import { afterEach, describe, expect, it } from 'vitest';
import { fakeServices, mount, textOf } from '../app/services-test-kit.ts';
import './lama-settings.ts';

describe('lama-settings', () => {
  afterEach(() => document.body.replaceChildren());

  it('holds the providers, the tools and the data folder', async () => {
    const el = document.createElement('lama-settings');
    el.services = fakeServices({
      'orchestrate:hostInfo': async () => ({ dataDir: '/home/ada/.local/share/lama', federationUrl: null }),
      'orchestrate:aiProviders': async () => ({ providers: [] }),
      'orchestrate:toolSettings': async () => ({ roots: [], servers: [] }),
    }).services;
    await mount(el);
    expect(el.shadowRoot!.querySelector('h1')!.textContent).toBe('Settings');
    expect(el.shadowRoot!.querySelector('lama-provider-settings')).not.toBeNull();
    expect(el.shadowRoot!.querySelector('lama-tool-settings')).not.toBeNull();
    expect(textOf(el)).toContain('/home/ada/.local/share/lama');
  });
});
