import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { federationPort, listenerConnections } from '../support/test-host.node.ts';
import { collectPageErrors, createIdentity, restartingHosts, screenshot } from './e2e-kit.node.ts';


describe('the browser reconnects by itself when the Node host restarts (journey 6)', () => {
  const world = restartingHosts('lama-e2e-restart-');

  it('drops the link when the host stops and links again, as a contact, when it is back', async () => {
    const first = await world.start();
    const page = await world.browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(first.url);
    await createIdentity(page);

    const uiPort = Number(new URL(first.origin).port);
    const fedPort = federationPort(first);
    await first.stop();
    await page.getByText('Connecting to the Node instance…').waitFor({ timeout: 15_000 });
    await screenshot(page, 'host-restarting');

    // The same ports, as `npm start` uses by default; the Node user unlocks as LAMA_PASSPHRASE would.
    const second = await world.start({ port: uiPort, federationPort: fedPort });
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
