import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { platformCrypto } from '../../actors/crypto/platform.node.ts';
import { readInvitation } from '../../actors/federation/invitation.ts';
import { requestPairing } from '../../actors/federation/pairing-protocol.ts';
import { knownInstanceKeys } from '../../actors/identity/contacts.ts';
import { createIdentity } from '../../actors/identity/identity.ts';
import { identityStore, TEST_KDF } from '../../actors/identity/identity-test-kit.ts';
import type { PeerIdentity } from '../../actors/net/identity-proof.ts';
import { SecureConnection, type CloseReason } from '../../actors/net/secure-connection.ts';
import { connectWebSocket } from '../../actors/net/ws-client.node.ts';
import type { RunningHost } from '../../hosts/node/host.node.ts';
import { connectAsPage } from '../support/node-control-client.node.ts';
import { federationPort, startTestHost } from '../support/test-host.node.ts';

const crypto = platformCrypto;

/** A device of another user dials the host's federation listener. */
async function dial(url: string, device: Awaited<ReturnType<typeof newDevice>>, expect: { personId: string; instanceId: string; signKey: Uint8Array; staticKey: Uint8Array }) {
  const connection = SecureConnection.dial(connectWebSocket(url), {
    crypto,
    identity: device.identity,
    admit: (peer: PeerIdentity) => (peer.instanceId === expect.instanceId && Buffer.from(peer.signKey).equals(Buffer.from(expect.signKey)) ? 'contact' : 'not the host I was invited to'),
  });
  const outcome = await new Promise<{ peer: PeerIdentity } | { closed: CloseReason }>((resolve) => {
    connection.on('established', ({ peer }) => resolve({ peer }));
    connection.on('closed', (closed) => resolve({ closed }));
  });
  return { connection, outcome };
}

async function newDevice(name: string) {
  const store = identityStore(crypto);
  return { store, identity: await createIdentity(store, crypto, { name, instanceName: name, passphrase: 'pass phrase', kdf: TEST_KDF }) };
}

describe('the Node host federation listener', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function runningHost(): Promise<RunningHost> {
    const { host, dispose } = await startTestHost();
    cleanups.push(dispose);
    await host.provision({ name: 'Ada', passphrase: 'correct horse battery' });
    await waitFor(host.app, (s) => s.matches({ live: { running: { federation: 'up' } } }));
    return host;
  }

  it('pairs a device with an invitation from orchestrate:startFederation, then admits it as a contact', async () => {
    const host = await runningHost();
    const page = await connectAsPage(host.url);
    const { url, pairingToken } = await page['orchestrate:startFederation']({});
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const invitation = readInvitation(crypto, pairingToken);
    expect(invitation.instanceId).toBe(host.user.identity!.instanceId);

    const phone = await newDevice('phone');
    const first = await dial(url, phone, invitation);
    expect('peer' in first.outcome).toBe(true);
    await requestPairing(first.connection, { ...phone, crypto, peer: { ...invitation }, invitation });
    expect((await knownInstanceKeys(host.store()!, phone.identity.instanceId))?.publicSignKey).toEqual(phone.identity.instance.signer.publicKey);
    first.connection.close('done');

    // Later: a known contact, no invitation needed (and none is open: it was single use).
    expect(host.invitations.size).toBe(0);
    const second = await dial(url, phone, invitation);
    expect('peer' in second.outcome).toBe(true);
    second.connection.close('done');
    page.close();
  }, 30_000);

  it('refuses a device that is not a contact when no invitation is open, naming why', async () => {
    const host = await runningHost();
    const stranger = await newDevice('stranger');
    const connection = SecureConnection.dial(connectWebSocket(`ws://127.0.0.1:${federationPort(host)}`), { crypto, identity: stranger.identity, admit: () => 'contact' });
    const closed = await new Promise<CloseReason>((resolve) => connection.on('closed', resolve));
    // The host says goodbye with its reason: refused keys, and why.
    expect(closed.code).toBe('GOODBYE');
    expect(closed.message).toMatch(/WRONG_KEY.*no invitation is open/);
    expect(await knownInstanceKeys(host.store()!, stranger.identity.instanceId)).toBeUndefined();
  }, 30_000);
});
