import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { startHost, type RunningHost } from '../../hosts/node/host.node.ts';
import { federationPort, idlePool, listenerConnections } from '../support/test-host.node.ts';
import { buildRenderer, collectPageErrors, createIdentity, launchChromium, screenshot } from './e2e-kit.node.ts';


describe('the browser reconnects by itself when the Node host restarts (journey 6)', () => {
  let renderer: Awaited<ReturnType<typeof buildRenderer>>;
  let browser: Browser;
  let dataDir: string;
  const hosts: RunningHost[] = [];

  beforeAll(async () => {
    [renderer, browser] = await Promise.all([buildRenderer(), launchChromium()]);
    dataDir = mkdtempSync(join(tmpdir(), 'lama-e2e-restart-'));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const host of hosts) if (host.app.getSnapshot().status === 'active') await host.stop();
    renderer?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('drops the link when the host stops and links again, as a contact, when it is back', async () => {
    const first = await startHost({ dataDir, port: 0, rendererDir: renderer.dir, workerPool: { logic: idlePool }, federationPort: 0 });
    hosts.push(first);
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(first.url);
    await createIdentity(page);

    const uiPort = Number(new URL(first.origin).port);
    const fedPort = federationPort(first);
    await first.stop();
    await page.getByText('Connecting to the Node instance…').waitFor({ timeout: 15_000 });
    await screenshot(page, 'host-restarting');

    // The same ports, as `npm start` uses by default; the Node user unlocks as LAMA_PASSPHRASE would.
    const second = await startHost({ dataDir, port: uiPort, rendererDir: renderer.dir, workerPool: { logic: idlePool }, federationPort: fedPort });
    hosts.push(second);
    await second.provision({ name: 'Ada', passphrase: 'correct horse battery' });
    await waitFor(second.app, (s) => s.matches({ live: { running: { federation: 'up' } } }), { timeout: 15_000 });
    await page.getByText('Linked to the Node instance').waitFor({ timeout: 45_000 });
    await expect.poll(() => listenerConnections(second), { timeout: 10_000 }).toEqual(['established']);
    // As a contact: no invitation was issued by the new host.
    expect(second.invitations.size).toBe(0);
    // The page's console shows refused control-socket reconnects (the per-launch secret changed), nothing else.
    expect(errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|401/.test(e))).toEqual([]);
  }, 180_000);
});
