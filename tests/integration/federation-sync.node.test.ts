import { afterEach, describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { chumSync } from '../../actors/chum/chum-sync.ts';
import { platformCrypto } from '../../actors/crypto/platform.node.ts';
import { DialingPeer } from '../../actors/federation/dialing-peer.ts';
import { IDENTITY_RECIPES } from '../../actors/identity/identity-recipes.ts';
import { TEST_KDF } from '../../actors/identity/identity-test-kit.ts';
import { connectWebSocket } from '../../actors/net/ws-client.node.ts';
import { setAccess } from '../../actors/store/access.ts';
import type { SHA256Hash } from '../../actors/store/hash.ts';
import { MemoryStorage } from '../../actors/store/memory-storage.ts';
import { ObjectStore } from '../../actors/store/object-store.ts';
import type { LamaObject } from '../../actors/store/recipes.ts';
import type { PayloadOf } from '../../hosts/ipc/channels.ts';

import { connectAsPage } from '../support/node-control-client.node.ts';
import { startTestHost } from '../support/test-host.node.ts';

const crypto = platformCrypto;

/** A group, versioned by owner and name: a type both sides know, to see CHUM move something. */
const group = (owner: string, name: string, members: string[]) => ({ $type$: 'Group', owner, name, members }) as LamaObject;

describe('federation: the Node host and a dialing peer sync through CHUM', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('pairs by invitation, then what each side grants the other arrives, both ways, with progress pushed', async () => {
    const { host, dispose } = await startTestHost();
    cleanups.push(dispose);
    await host.provision({ name: 'Ada', passphrase: 'correct horse battery' });
    await waitFor(host.app, (s) => s.matches({ live: { running: { federation: 'up' } } }));
    const page = await connectAsPage(host.url);
    cleanups.push(() => page.close());
    const progress: PayloadOf<'status:syncProgress'>[] = [];
    page.on('status:syncProgress', (p) => progress.push(p));
    const links: PayloadOf<'status:federationConnected'>[] = [];
    page.on('status:federationConnected', (link) => links.push(link));

    const peerStore = new ObjectStore({ adapter: new MemoryStorage(), hasher: crypto, recipes: IDENTITY_RECIPES });
    const peer = new DialingPeer({ store: peerStore, crypto, instanceName: 'phone', dial: (url) => connectWebSocket(url) });
    const me = await peer.unlock({ name: 'Ada (phone)', passphrase: 'pass phrase', create: true, kdf: TEST_KDF });
    const target = await peer.findNode(() => page['orchestrate:startFederation']({}));
    const connection = createActor(peer.connectionLogic(chumSync({ store: () => peerStore, crypto })), { input: { role: 'dialer', ...target } }).start();
    cleanups.push(() => void connection.stop());
    await waitFor(connection, (s) => s.matches({ linked: 'up' }), { timeout: 15_000 });

    // The Node shares a group with the phone's person; the phone shares one with the Node's.
    const store = host.store()!;
    const nodeGroup = await store.putVersioned(group(host.user.identity!.personId, 'family', [me.personId]));
    await setAccess(store, { id: nodeGroup.idHash }, { persons: [me.personId as SHA256Hash] });
    const phoneGroup = await peerStore.putVersioned(group(me.personId, 'from the phone', []));
    await setAccess(peerStore, { id: phoneGroup.idHash }, { persons: [host.user.identity!.personId] });

    await expect.poll(async () => (await peerStore.getLatest(nodeGroup.idHash))?.object, { timeout: 15_000 }).toMatchObject({ name: 'family' });
    await expect.poll(async () => (await store.getLatest(phoneGroup.idHash))?.object, { timeout: 15_000 }).toMatchObject({ name: 'from the phone' });
    expect(progress.length).toBeGreaterThan(0);
    await expect.poll(() => links).toContainEqual({ peer: me.instanceId, connected: true });
    expect(progress.every((p) => p.objectsDone <= p.objectsTotal)).toBe(true);

    // A second connection later is a known contact's: no invitation, the same link and sync.
    connection.stop();
    await expect.poll(() => links.at(-1)).toEqual({ peer: me.instanceId, connected: false });
    const again = createActor(peer.connectionLogic(chumSync({ store: () => peerStore, crypto })), { input: { role: 'dialer', ...(await peer.findNode(() => Promise.reject(new Error('no invitation needed')))) } }).start();
    cleanups.push(() => void again.stop());
    await waitFor(again, (s) => s.matches({ linked: 'up' }), { timeout: 15_000 });
    const later = await store.putVersioned(group(host.user.identity!.personId, 'family', [me.personId, 'b'.repeat(64)]));
    await expect.poll(async () => (await peerStore.getLatest(nodeGroup.idHash))?.hash, { timeout: 15_000 }).toBe(later.hash);
  }, 60_000);
});
