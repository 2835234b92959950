import { afterEach, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../hosts/ipc/channels.ts';
import { OrchestrationError } from '../../hosts/ipc/orchestration-error.ts';
import { fakeServices, mount, settle, textOf } from '../app/services-test-kit.ts';
import type { LamaToolSettings } from './lama-tool-settings.ts';
import './lama-tool-settings.ts';

type Settings = ResponseOf<'orchestrate:toolSettings'>;

const initial: Settings = {
  roots: [],
  servers: [
    { id: 'filesystem', running: false, tools: [], rules: { allow: [], ask: [], block: ['move_file'] } },
    {
      id: 'lama',
      running: true,
      tools: [
        { name: 'delete_file', title: 'Delete File', readOnly: false, rule: null, decision: 'ask' },
        { name: 'search_messages', title: 'Search Messages', readOnly: true, rule: null, decision: 'run' },
      ],
      rules: { allow: [], ask: [], block: [] },
    },
  ],
};

async function tools(handlers: Parameters<typeof fakeServices>[0] = {}) {
  let settings = initial;
  const fake = fakeServices({
    'orchestrate:toolSettings': async () => settings,
    'orchestrate:setToolRule': async ({ server, tool, rule }) => {
      settings = {
        ...settings,
        servers: settings.servers.map((s) => (s.id !== server ? s : { ...s, tools: s.tools.map((t) => (t.name === tool ? { ...t, rule, decision: rule === 'block' ? 'refuse' : rule === 'allow' ? 'run' : t.readOnly ? 'run' : 'ask' } : t)) })),
      };
      return settings;
    },
    'orchestrate:setToolRoots': async ({ roots }) => {
      if (roots.some((r) => !r.startsWith('/'))) throw new OrchestrationError('BAD_ROOTS', `not an absolute path: ${roots.find((r) => !r.startsWith('/'))}`);
      settings = { ...settings, roots };
      return { roots };
    },
    ...handlers,
  });
  const el = document.createElement('lama-tool-settings');
  el.services = fake.services;
  await mount(el);
  return { el, ...fake };
}

const select = (el: LamaToolSettings, label: string) => el.shadowRoot!.querySelector<HTMLSelectElement>(`select[aria-label="${label}"]`)!;
const change = (target: HTMLSelectElement, value: string) => {
  target.value = value;
  target.dispatchEvent(new Event('change'));
};
async function addFolder(el: LamaToolSettings, path: string) {
  el.shadowRoot!.querySelector<HTMLInputElement>('input[name="folder"]')!.value = path;
  el.shadowRoot!.querySelector<HTMLFormElement>('form.add-folder')!.requestSubmit();
  await settle(el);
}

describe('lama-tool-settings', () => {
  afterEach(() => document.body.replaceChildren());

  it('lists each server\'s tools with what a call gets now, and rules kept for tools not offered', async () => {
    const { el } = await tools();
    const text = textOf(el);
    expect(text).toContain('No folder chosen: the AI\'s file tools are off.');
    expect(text).toContain('Off until a folder is chosen');
    expect(text).toContain('move_file');
    expect(text).toContain('Not offered now; the rule is kept');
    expect(select(el, 'Approval for move_file').value).toBe('block');
    const rows = [...el.shadowRoot!.querySelectorAll('article[aria-label="LAMA tools"] li')].map((li) => li.querySelector('.badge')!.textContent);
    expect(rows).toEqual(['Asks you first', 'Runs without asking']);
  });

  it('sends a changed rule to the host and shows its answer', async () => {
    const { el, requests } = await tools();
    change(select(el, 'Approval for Delete File'), 'allow');
    await settle(el);
    expect(requests('orchestrate:setToolRule')).toEqual([{ server: 'lama', tool: 'delete_file', rule: 'allow' }]);
    expect(el.shadowRoot!.querySelector('article[aria-label="LAMA tools"] li .badge')!.textContent).toBe('Runs without asking');
    change(select(el, 'Approval for All LAMA tools'), 'block');
    change(select(el, 'Approval for Delete File'), '');
    await settle(el);
    expect(requests('orchestrate:setToolRule').slice(1)).toEqual([
      { server: 'lama', tool: '*', rule: 'block' },
      { server: 'lama', tool: 'delete_file', rule: null },
    ]);
  });

  it('adds and removes folders, and shows why a folder was refused', async () => {
    const { el, requests } = await tools();
    await addFolder(el, '/home/ada/notes');
    expect(requests('orchestrate:setToolRoots')).toEqual([{ roots: ['/home/ada/notes'] }]);
    expect(el.shadowRoot!.querySelector('li code')!.textContent).toBe('/home/ada/notes');
    await addFolder(el, 'notes');
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).toContain('not an absolute path: notes');
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Stop sharing /home/ada/notes"]')!.click();
    await settle(el);
    expect(requests('orchestrate:setToolRoots').at(-1)).toEqual({ roots: [] });
  });
});
