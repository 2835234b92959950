import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../hosts/node/host.node.ts';
import { idlePool, listenerConnections } from '../support/test-host.node.ts';
import { buildRenderer, collectPageErrors, launchChromium, screenshot } from './e2e-kit.node.ts';

describe('first launch in Chromium (journey 1)', () => {
  let renderer: Awaited<ReturnType<typeof buildRenderer>>;
  let browser: Browser;
  let host: RunningHost;
  let dataDir: string;

  beforeAll(async () => {
    [renderer, browser] = await Promise.all([buildRenderer(), launchChromium()]);
    dataDir = mkdtempSync(join(tmpdir(), 'lama-e2e-'));
    host = await startHost({ dataDir, port: 0, rendererDir: renderer.dir, workerPool: { logic: idlePool }, federationPort: 0 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    renderer?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows onboarding, creates both users from the page, pairs the browser with the Node, and after a reload unlocks and reconnects as a contact', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    const errors = collectPageErrors(page);
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Welcome to LAMA' }).waitFor();
    // The secret leaves the address bar as soon as the page has it.
    expect(page.url()).not.toContain('secret');
    await screenshot(page, 'onboarding');

    await page.getByLabel('Your name').fill('Ada');
    await page.getByLabel('Passphrase', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create my identity' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('at least 8 characters');

    await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
    await page.getByLabel('Repeat passphrase').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create my identity' }).click();
    // A new user is asked for a first AI (ui-shell.e2e covers that step); skipping opens the app.
    await page.getByRole('dialog', { name: 'Choose your first AI' }).getByRole('button', { name: 'Skip for now' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
    const personId = host.app.getSnapshot().context.user?.personId;
    expect(personId).toMatch(/^[0-9a-f]{64}$/);
    await page.getByText(personId!).waitFor();
    // The browser instance (its own user) pairs with the Node over the federation listener.
    await page.getByText('Linked to the Node instance').waitFor({ timeout: 45_000 });
    await expect.poll(() => listenerConnections(host), { timeout: 10_000 }).toEqual(['established']);
    await screenshot(page, 'provisioned');

    // After a reload the browser's own user is locked again (its keys never leave memory unsealed);
    // the passphrase unlocks it, and it reconnects to the Node as a known contact, with no invitation.
    await page.reload();
    await page.getByRole('heading', { name: 'Unlock LAMA' }).waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByText('Linked to the Node instance').waitFor({ timeout: 45_000 });
    await expect.poll(() => listenerConnections(host), { timeout: 10_000 }).toEqual(['established']);
    expect(host.invitations.size).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('refuses a page from another origin, even one that knows the secret', async () => {
    const page = await browser.newPage();
    const secret = new URL(host.url).hash;
    const other = `http://localhost:${new URL(host.origin).port}/${secret}`;
    const errors = collectPageErrors(page);
    await page.goto(other);
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toMatch(/Reconnecting|Connecting/);
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    expect(errors.join('\n')).toMatch(/WebSocket|403/);
    await page.close();
  }, 30_000);
});
