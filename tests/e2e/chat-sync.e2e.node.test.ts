import type { Page, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import '../support/lama-browser-global.ts';
import type { SHA256Hash } from '../../actors/store/hash.ts';
import type { RunningHost } from '../../hosts/node/host.node.ts';
import { federationPort } from '../support/test-host.node.ts';
import { collectPageErrors, createIdentity, restartingHosts, screenshot } from './e2e-kit.node.ts';

/**
 * The real pair (issue 5): the Node host with its SQLite archive and the browser instance in
 * Chromium with its sparse IndexedDB store, each its own user, chatting through the encrypted
 * federation socket. A message written on either side appears on the other; the socket killed in
 * the middle of a sync converges after the browser reconnects by itself; what the browser writes
 * while the host is down arrives once the host is back.
 */

/** Texts of a topic's newest messages as the browser shows them (fetching bodies it lacks). */
const browserTexts = (page: Page, topic: SHA256Hash, limit = 50) =>
  page.evaluate(async ({ topic, limit }) => (await globalThis.lamaBrowser.chat!.messages(topic, { limit })).map((m) => m.message.text), { topic, limit });
const browserRefCount = (page: Page, topic: SHA256Hash) =>
  page.evaluate(async (topic) => {
    const chat = globalThis.lamaBrowser.chat;
    return chat ? (await chat.messageRefs(topic).catch(() => [])).length : 0;
  }, topic);
const nodeTexts = async (host: RunningHost, topic: SHA256Hash, limit = 50) => (await host.chat()!.messages(topic, { limit })).map((m) => m.message.text);

describe('chat between the Node host and the browser instance in Chromium', () => {
  const world = restartingHosts('lama-e2e-chat-');

  it('syncs both ways, converges after the socket dies mid-sync, and catches up after a host restart', async () => {
    const first = await world.start();
    const page = await world.browser.newPage();
    const errors = collectPageErrors(page);
    // The federation socket runs through a route the test can cut; the control socket does not.
    const routes: WebSocketRoute[] = [];
    await page.routeWebSocket(
      (url) => url.pathname !== '/control',
      (route) => {
        route.connectToServer();
        routes.push(route);
      },
    );
    await page.goto(first.url);
    await createIdentity(page);

    const fedPort = federationPort(first);
    // Two users: the browser's Person is not the Node's. The Node opens a topic with it.
    const browserPerson = (await page.evaluate(() => globalThis.lamaBrowser.chat!.me)) as SHA256Hash;
    expect(browserPerson).not.toBe(first.user.identity!.personId);
    const { idHash: topic } = await first.chat()!.directTopic(browserPerson, 'Ada (browser)');

    // Node → browser.
    await first.chat()!.send(topic, 'hello from the node');
    await expect.poll(() => browserTexts(page, topic), { timeout: 15_000 }).toEqual(['hello from the node']);
    // Browser → Node.
    await page.evaluate((topic) => globalThis.lamaBrowser.chat!.send(topic, 'hello from the browser'), topic);
    await expect.poll(() => nodeTexts(first, topic), { timeout: 15_000 }).toEqual(['hello from the node', 'hello from the browser']);
    await screenshot(page, 'chat-sync-linked');

    // A burst the browser is still syncing when its socket dies.
    const burst = 3_000;
    for (let i = 0; i < burst; i += 500) {
      for (let j = i; j < i + 500; j++) await first.chat()!.send(topic, `burst ${j}`);
    }
    await expect.poll(() => browserRefCount(page, topic), { timeout: 30_000, interval: 20 }).toBeGreaterThan(2);
    const atKill = await browserRefCount(page, topic);
    for (const route of routes.splice(0)) await route.close({ code: 1011, reason: 'killed by the test' });
    expect(atKill).toBeLessThan(burst + 2);
    // It reconnects by itself (a new routed socket) and converges: every message known, the newest on screen.
    await expect.poll(() => browserRefCount(page, topic), { timeout: 60_000 }).toBe(burst + 2);
    expect(routes.length).toBeGreaterThan(0);
    expect((await browserTexts(page, topic, 3))).toEqual([`burst ${burst - 3}`, `burst ${burst - 2}`, `burst ${burst - 1}`]);

    // The host goes away; the browser writes offline; the host comes back and the message arrives.
    const uiPort = Number(new URL(first.origin).port);
    await first.stop();
    await page.getByText('Connecting to the Node instance…').waitFor({ timeout: 15_000 });
    await page.evaluate((topic) => globalThis.lamaBrowser.chat!.send(topic, 'written while the host was down'), topic);
    const second = await world.start({ port: uiPort, federationPort: fedPort });
    await second.provision({ name: 'Ada', passphrase: 'correct horse battery' });
    await waitFor(second.app, (s) => s.matches({ live: { running: { federation: 'up' } } }), { timeout: 15_000 });
    await page.getByText('Linked to the Node instance').waitFor({ timeout: 45_000 });
    await expect.poll(async () => (await nodeTexts(second, topic, 1)), { timeout: 30_000 }).toEqual(['written while the host was down']);
    await screenshot(page, 'chat-sync-after-restart');
    // Refused control-socket reconnects (the secret changes per launch) and the killed socket, nothing else.
    expect(errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|401/.test(e))).toEqual([]);
  }, 240_000);
});
