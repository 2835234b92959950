import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { connectAsPage } from '../../tests/support/node-control-client.node.ts';
import { idlePool } from '../../tests/support/test-host.node.ts';
import type { PayloadOf } from '../ipc/channels.ts';
import { startHost, type HostOptions, type RunningHost } from './host.node.ts';
import { PortInUseError } from './static-server.node.ts';


describe('the Node host', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function options(dataDir: string): HostOptions {
    const rendererDir = mkdtempSync(join(tmpdir(), 'lama-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>LAMA</title>');
    cleanups.push(() => rmSync(rendererDir, { recursive: true, force: true }));
    return { dataDir, port: 0, rendererDir, workerPool: { logic: idlePool }, federationPort: 0 };
  }

  async function start(dataDir: string): Promise<RunningHost> {
    const host = await startHost(options(dataDir));
    cleanups.push(() => (host.app.getSnapshot().status === 'active' ? host.stop() : undefined));
    return host;
  }

  function dataDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'lama-host-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  it('is provisioned by the page over the control socket, then runs its children; a restart unlocks the same user', async () => {
    const dir = dataDir();
    const host = await start(dir);
    expect((await fetch(host.origin)).status).toBe(200);

    const client = await connectAsPage(host.url);
    const pushes: PayloadOf<'status:app'>[] = [];
    const provisioned: PayloadOf<'status:nodeProvisioned'>[] = [];
    client.on('status:app', (status) => pushes.push(status));
    client.on('status:nodeProvisioned', (user) => provisioned.push(user));
    await waitFor(host.app, (s) => s.matches({ live: 'provisioning' }));
    expect(await client['orchestrate:status']({})).toMatchObject({ app: { state: 'live.provisioning', provisioning: 'awaitingUser' }, provisioned: null });

    const created = await client['orchestrate:provision']({ name: 'Ada', passphrase: 'correct horse battery' });
    expect(created.created).toBe(true);
    await waitFor(host.app, (s) => s.matches({ live: { running: { workerPool: 'up', federation: 'up' } } }));
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(provisioned).toEqual([{ personId: created.personId, instanceId: created.instanceId, name: 'Ada' }]);
    expect(pushes.at(-1)).toEqual({ state: 'live.running.{workerPool.up|federation.up|ai.up}', provisioning: 'provisioned', failures: [] });

    // A second provision (the page reloaded) must prove the passphrase and never makes a new user.
    await expect(client['orchestrate:provision']({ name: 'Eve', passphrase: 'not the passphrase' })).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    expect(await client['orchestrate:provision']({ name: 'Eve', passphrase: 'correct horse battery' })).toEqual({ ...created, created: false });
    client.close();
    await host.stop();

    const again = await start(dir);
    const second = await connectAsPage(again.url);
    await waitFor(again.app, (s) => s.matches({ live: 'provisioning' }));
    expect((await second['orchestrate:status']({})).app.provisioning).toBe('locked');
    await expect(second['orchestrate:provision']({ name: 'x', passphrase: 'wrong passphrase' })).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    const unlocked = await second['orchestrate:provision']({ name: 'x', passphrase: 'correct horse battery' });
    expect(unlocked).toEqual({ ...created, created: false });
    expect((await second['orchestrate:status']({})).provisioned?.name).toBe('Ada');
    second.close();
  }, 30_000);

  it('streams the inspection of every actor to the page', async () => {
    const host = await start(dataDir());
    const client = await connectAsPage(host.url);
    const names = new Set<string>();
    client.on('status:inspection', ({ events }) => events.forEach((e) => names.add(e.systemId ?? e.name)));
    await client['orchestrate:provision']({ name: 'Ada', passphrase: 'correct horse battery' });
    await waitFor(host.app, (s) => s.matches({ live: 'running' }));
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect([...names], [...names].join(', ')).toEqual(expect.arrayContaining(['app', 'provisioning', 'workerPool', 'federation']));
    client.close();
  }, 30_000);

  it('refuses a port that is taken, naming it', async () => {
    const first = await start(dataDir());
    const port = Number(new URL(first.origin).port);
    const error = await startHost({ ...options(dataDir()), port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as Error).message).toContain(String(port));
  });

  it('fails with the reason when the archive cannot be opened, and still closes its servers', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'archive'), 'a file where the archive folder should be');
    const host = await start(dir);
    const snapshot = await waitFor(host.app, (s) => s.status === 'done');
    expect(snapshot.value).toBe('failed');
    expect(snapshot.context.reason).toMatch(/cannot open the archive/);
    await host.stop();
    await expect(fetch(host.origin)).rejects.toThrow();
  });
});
