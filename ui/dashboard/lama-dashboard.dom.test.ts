import { afterEach, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { statusFeedMachine } from '../../machines/status-feed.ts';
import { fakeServices, mount, settle, textOf } from '../app/services-test-kit.ts';
import type { LamaDashboard } from './lama-dashboard.ts';
import './lama-dashboard.ts';

const BROWSER = 'd'.repeat(64);

async function dashboard(pool = { kinds: [] as { kind: string; queued: number; workers: { id: string; state: string; inFlight: number; restarts: number; lastError?: string }[] }[] }) {
  const feed = createActor(statusFeedMachine).start();
  const fake = fakeServices({
    'orchestrate:storeStats': async () => ({
      types: [
        { type: 'ChatMessage', objects: 1_200, bytes: 480_000 },
        { type: 'Person', objects: 4, bytes: 300 },
        { type: 'VersionNode', objects: 1_210, bytes: 230_000 },
      ],
    }),
    'orchestrate:workerPool': async () => pool,
  });
  const el = document.createElement('lama-dashboard');
  el.services = fake.services;
  el.feed = feed;
  el.browserInstance = BROWSER;
  await mount(el);
  return { el, feed, ...fake };
}

const cells = (el: LamaDashboard) => [...el.shadowRoot!.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('th, td.num')].map((c) => c.textContent!.trim()));

describe('lama-dashboard', () => {
  afterEach(() => document.body.replaceChildren());

  it('counts the archive by type, largest first, with totals', async () => {
    const { el } = await dashboard();
    expect(cells(el)).toEqual([
      ['ChatMessage', '1,200', '480 kB'],
      ['VersionNode', '1,210', '230 kB'],
      ['Person', '4', '300 B'],
    ]);
    const tiles = [...el.shadowRoot!.querySelectorAll('.tile')].map((t) => t.textContent!.replace(/\s+/g, ' ').trim());
    expect(tiles.slice(0, 2)).toEqual(['2,414 objects', '710 kB in the archive']);
  });

  it('shows each connection\'s sync from the status feed, naming this browser', async () => {
    const { el, feed } = await dashboard();
    expect(textOf(el)).toContain('No connection has reported yet.');
    feed.send({ type: 'status.federationConnected', peer: BROWSER, connected: true, at: 1 });
    feed.send({ type: 'status.syncProgress', peer: BROWSER, objectsDone: 300, objectsTotal: 1_200, bytesDone: 90_000, bytesTotal: 480_000, at: 2 });
    feed.send({ type: 'status.syncProgress', peer: 'e'.repeat(64), objectsDone: 10, objectsTotal: 10, bytesDone: 5, bytesTotal: 5, at: 3 });
    await settle(el);
    const rows = [...el.shadowRoot!.querySelectorAll('section[aria-labelledby="sync-heading"] li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(rows[0]).toMatch(/^Instance eeeeeeee…eeee 10 of 10 objects · 5 B of 5 B In sync$/);
    expect(rows[1]).toMatch(/^This browser 300 of 1,200 objects · 90 kB of 480 kB Syncing$/);
    expect(el.shadowRoot!.querySelector<HTMLProgressElement>('section[aria-labelledby="sync-heading"] progress')!.value).toBe(300);
  });

  it('shows the worker pool and follows its pushes', async () => {
    const { el, push } = await dashboard({ kinds: [{ kind: 'crypto', queued: 0, workers: [{ id: 'crypto-1', state: 'ready', inFlight: 0, restarts: 0 }] }] });
    expect(textOf(el)).toContain('Crypto');
    push('status:workerPool', { kinds: [{ kind: 'llm', queued: 2, workers: [{ id: 'llm-1', state: 'restarting', inFlight: 0, restarts: 3, lastError: 'exit code 134' }] }] });
    await el.updateComplete;
    const text = textOf(el);
    expect(text).toContain('Local model');
    expect(text).toContain('2 queued');
    expect(text).toContain('3 restarts');
    expect(text).toContain('exit code 134');
    expect(el.shadowRoot!.querySelector('.worker .badge')!.className).toContain('warn');
  });
});
