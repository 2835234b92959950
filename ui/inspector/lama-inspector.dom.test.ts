import { afterEach, describe, expect, it } from 'vitest';
import { OrchestrationError } from '../../hosts/ipc/orchestration-error.ts';
import type { RendererServices } from '../services.ts';
import { startInspectorKit, type InspectorKit } from './inspector-test-kit.ts';
import type { LamaActorTree } from './lama-actor-tree.ts';
import type { LamaEventLog } from './lama-event-log.ts';
import './lama-inspector.ts';
import type { LamaInspector } from './lama-inspector.ts';
import type { LamaStatechart } from './lama-statechart.ts';

let kit: InspectorKit | undefined;

async function mount(services?: (kit: InspectorKit) => RendererServices): Promise<LamaInspector> {
  kit = await startInspectorKit();
  const el = document.createElement('lama-inspector');
  el.style.cssText = 'display: grid; width: 1400px; height: 900px';
  el.services = services ? services(kit) : kit.services;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const tree = (el: LamaInspector) => el.shadowRoot!.querySelector<LamaActorTree>('lama-actor-tree')!;
const chart = (el: LamaInspector) => el.shadowRoot!.querySelector<LamaStatechart>('lama-statechart')!;
const log = (el: LamaInspector) => el.shadowRoot!.querySelector<LamaEventLog>('lama-event-log')!;
const items = (el: LamaInspector) => [...tree(el).shadowRoot!.querySelectorAll<HTMLElement>('[role="treeitem"]')];
const item = (el: LamaInspector, name: string | RegExp) => items(el).find((i) => matches(i.querySelector('.name')!.textContent!, name));
const matches = (text: string, name: string | RegExp) => (typeof name === 'string' ? text === name : name.test(text));
const machineTitle = (el: LamaInspector) => chart(el).shadowRoot!.querySelector('.state.machine .title')?.textContent;
const activeLeaves = (el: LamaInspector) => [...chart(el).shadowRoot!.querySelectorAll<SVGGElement>('.state.active.leaf')].map((g) => g.dataset['path']).sort();
const rows = (el: LamaInspector) =>
  [...log(el).shadowRoot!.querySelectorAll<HTMLElement>('.row:not(.head)')].map((row) => ({
    actor: row.querySelector('.actor')!.textContent!.trim(),
    event: row.querySelector('.event .type')!.textContent!.trim(),
    transition: row.querySelector('.transition')!.textContent!.replace(/\s+/g, ' ').replace(/\s*→\s*/, ' → ').trim(),
  }));

async function select(el: LamaInspector, name: string | RegExp): Promise<void> {
  await expect.poll(() => item(el, name)).toBeTruthy();
  item(el, name)!.click();
  await el.updateComplete;
}

describe('lama-inspector', () => {
  afterEach(() => {
    document.body.replaceChildren();
    kit?.stop();
    kit = undefined;
  });

  it('lists the Node host\'s actors and this window\'s in one tree, children under their parents', async () => {
    const el = await mount();
    await expect.poll(() => items(el).map((i) => i.querySelector('.name')!.textContent)).toEqual(
      expect.arrayContaining(['app', 'provisioning', 'workerPool', 'federation', 'ai', 'watch', 'hostLink', 'listen', 'browserSession']),
    );
    const groups = [...tree(el).shadowRoot!.querySelectorAll('section')].map((section) => ({
      title: section.querySelector('h2 span')!.textContent,
      names: [...section.querySelectorAll('[role="treeitem"] .name')].map((n) => n.textContent),
    }));
    expect(groups[0]).toMatchObject({ title: 'Node host', names: expect.arrayContaining(['app', 'ai']) });
    expect(groups[1]).toMatchObject({ title: 'This window', names: expect.arrayContaining(['hostLink', 'browserSession']) });
    expect(item(el, 'app')!.getAttribute('aria-level')).toBe('1');
    expect(item(el, 'provisioning')!.getAttribute('aria-level')).toBe('2');
    expect(item(el, 'watch')!.getAttribute('aria-level')).toBe('3');
    expect(item(el, 'app')!.querySelector('.dot')!.classList.contains('active')).toBe(true);
    expect(item(el, 'app')!.getAttribute('aria-label')).toBe('app, active, live.running.{workerPool.up|federation.up|ai.up}');
  });

  it('draws the selected machine with its active states lit: the app\'s three supervision regions, each up', async () => {
    const el = await mount();
    await expect.poll(() => machineTitle(el), { timeout: 20_000 }).toBe('app');
    expect(item(el, 'app')!.getAttribute('aria-selected')).toBe('true');
    const svg = chart(el).shadowRoot!;
    expect([...svg.querySelectorAll<SVGGElement>('.state.region')].map((g) => g.dataset['path'])).toEqual(['live.running.workerPool', 'live.running.federation', 'live.running.ai']);
    expect(activeLeaves(el)).toEqual(['live.running.ai.up', 'live.running.federation.up', 'live.running.workerPool.up']);
    expect(svg.querySelector('.state.active[data-path="live.running"]')).not.toBeNull();
    expect(svg.querySelector('.state.active[data-path="starting"]')).toBeNull();
    expect(svg.querySelectorAll('.state.final')).toHaveLength(2);
    // The machine, live and each region enter their initial state from a marker; a parallel state has none.
    expect(svg.querySelectorAll('circle.initial').length).toBe(5);
    // The transitions that leave the active states are the ones drawn as next.
    expect(svg.querySelector('.edge-label.next text')?.textContent).toMatch(/after|onError|onDone|app\.stop/);
    expect(svg.querySelector('[role="img"]')!.getAttribute('aria-label')).toBe('app in live.running.{workerPool.up|federation.up|ai.up}');
    const context = el.shadowRoot!.querySelector('lama-json-tree')!;
    await context.updateComplete;
    expect(context.shadowRoot!.textContent).toContain('restarts');
  });

  it('moves the highlight as the AI listener answers, animates the transition taken, and logs it', async () => {
    const el = await mount();
    await kit!.startAnswer('Looking at your notes');
    await select(el, /^aiListener:/);
    await expect.poll(() => machineTitle(el), { timeout: 20_000 }).toBe('aiListener');
    await expect.poll(() => activeLeaves(el)).toEqual(['answering.generating']);

    await kit!.askApproval();
    await expect.poll(() => activeLeaves(el)).toEqual(['answering.tools.awaitingApproval']);
    const fired = [...chart(el).shadowRoot!.querySelectorAll<SVGPathElement>('.fired-layer .edge.fired')].map((p) => p.dataset['fired']);
    expect(fired).toEqual(['t:answering.tools.running:1:0']);
    expect(chart(el).shadowRoot!.querySelector('.fired-layer .edge-label text')!.textContent).toBe('tools.needApproval');
    await expect.poll(() => rows(el)[0]).toEqual({
      actor: expect.stringMatching(/^aiListener:/),
      event: 'tools.needApproval',
      transition: 'answering.tools.running → answering.tools.awaitingApproval',
    });
    expect(rows(el).find((r) => r.event === 'llm.done')?.transition).toBe('answering.generating → answering.tools.running');
    // An event handled in place lights its line in the state instead.
    expect(chart(el).shadowRoot!.querySelector('[data-path="answering.generating"] .line.event')!.textContent).toBe('llm.text');
  });

  it('filters the log by actor and by event, and pauses, resumes and clears it', async () => {
    const el = await mount();
    await kit!.startAnswer('Looking at your notes');
    const events = log(el);
    await expect.poll(() => rows(el).length).toBeGreaterThan(10);

    const search = events.shadowRoot!.querySelector<HTMLInputElement>('input[type="search"]')!;
    search.value = 'llm';
    search.dispatchEvent(new Event('input'));
    await events.updateComplete;
    expect(rows(el).map((r) => r.event)).toEqual(['llm.text']);
    search.value = '';
    search.dispatchEvent(new Event('input'));

    const actor = events.shadowRoot!.querySelector<HTMLSelectElement>('select')!;
    const session = [...actor.options].find((o) => o.textContent === 'browserSession')!;
    actor.value = session.value;
    actor.dispatchEvent(new Event('change'));
    await events.updateComplete;
    expect(new Set(rows(el).map((r) => r.actor))).toEqual(new Set(['browserSession']));
    expect(rows(el).map((r) => r.transition)).toContain('locked → unlocking');

    actor.value = 'all';
    actor.dispatchEvent(new Event('change'));
    const changesOnly = events.shadowRoot!.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    changesOnly.click();
    await events.updateComplete;
    expect(rows(el).every((r) => r.transition.includes('→') || r.transition.startsWith('◦'))).toBe(true);
    changesOnly.click();

    const [pause, clear] = [...events.shadowRoot!.querySelectorAll<HTMLButtonElement>('.filters button')];
    pause!.click();
    await events.updateComplete;
    expect(pause!.getAttribute('aria-pressed')).toBe('true');
    const frozen = rows(el).length;
    await kit!.askApproval();
    await el.updateComplete;
    await events.updateComplete;
    expect(rows(el)).toHaveLength(frozen);
    expect(events.shadowRoot!.querySelector('.count')!.textContent).toMatch(/Paused · \d+ new/);
    pause!.click();
    await events.updateComplete;
    expect(rows(el)[0]!.event).toBe('tools.needApproval');

    clear!.click();
    await el.updateComplete;
    await events.updateComplete;
    expect(rows(el)).toEqual([]);
    expect(events.shadowRoot!.querySelector('.empty')!.textContent).toContain('Events appear here');
  });

  it('selects with the keyboard in the tree, and from a log row', async () => {
    const el = await mount();
    await expect.poll(() => item(el, 'app')?.getAttribute('aria-selected')).toBe('true');
    const app = item(el, 'app')!;
    app.focus();
    app.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
    await el.updateComplete;
    await expect.poll(() => item(el, 'provisioning')!.getAttribute('aria-selected')).toBe('true');
    expect(tree(el).shadowRoot!.activeElement).toBe(item(el, 'provisioning'));
    await expect.poll(() => machineTitle(el), { timeout: 20_000 }).toBe('provisioning');

    item(el, 'app')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true, composed: true }));
    await tree(el).updateComplete;
    expect(item(el, 'app')!.getAttribute('aria-expanded')).toBe('false');
    expect(item(el, 'provisioning')).toBeUndefined();

    item(el, 'app')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, composed: true }));
    await tree(el).updateComplete;
    expect(item(el, 'provisioning')).toBeDefined();

    // A row of another actor selects that actor: this window's session, told its link is up.
    kit!.session.send({ type: 'connection.up' });
    await expect.poll(() => rows(el)[0]).toMatchObject({ actor: 'browserSession', event: 'connection.up' });
    const row = log(el).shadowRoot!.querySelector<HTMLElement>('.row:not(.head)')!;
    const key = row.dataset['actor']!;
    row.click();
    await el.updateComplete;
    await expect.poll(() => items(el).find((i) => i.dataset['key'] === key)?.getAttribute('aria-selected')).toBe('true');
  });

  it('shows a host without the overview channel from its pushes alone, and says so', async () => {
    const el = await mount((kit) => ({
      ...kit.services,
      orchestrate: (() => Promise.reject(new OrchestrationError('NOT_IMPLEMENTED', 'orchestrate:inspection is not implemented by this host yet'))) as RendererServices['orchestrate'],
    }));
    await expect.poll(() => tree(el).shadowRoot!.querySelector('h2 .badge')?.textContent).toBe('Live only');
    expect(item(el, 'app')).toBeUndefined();
    await kit!.startAnswer('');
    await expect.poll(() => item(el, /^aiListener:/)).toBeTruthy();
  });

  it('asks the host again for a machine it has not described yet', async () => {
    const el = await mount();
    await expect.poll(() => kit!.asked).toBe(1);
    await kit!.startAnswer('');
    await expect.poll(() => kit!.asked).toBe(2);
    await select(el, /^aiListener:/);
    await expect.poll(() => machineTitle(el), { timeout: 20_000 }).toBe('aiListener');
  });
});
