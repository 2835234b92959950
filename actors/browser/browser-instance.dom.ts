import * as dagCbor from '@ipld/dag-cbor';
import { fromPromise, type EventObject, type fromCallback } from 'xstate';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { readInvitation, type Invitation } from '../federation/invitation.ts';
import { requestPairing } from '../federation/pairing-protocol.ts';
import { knownInstanceKeys } from '../identity/contacts.ts';
import { createIdentity, hasIdentity, openIdentity, type Identity } from '../identity/identity.ts';
import { IDENTITY_RECIPES } from '../identity/identity-recipes.ts';
import type { LocalInstance, PeerIdentity } from '../net/identity-proof.ts';
import { secureLink } from '../net/secure-connection-link.ts';
import type { Admission } from '../net/secure-connection.ts';
import { connectWebSocket } from '../net/ws-client.dom.ts';
import { IndexedDbStorage } from '../store/indexeddb-storage.dom.ts';
import { ObjectStore } from '../store/object-store.ts';
import { connectionMachine, type SessionInput } from '../../machines/connection.ts';
import type { BrowserUser, FederationTarget } from '../../machines/browser-session.ts';

/**
 * The browser instance (DESIGN.md §1): its own user in its own sparse IndexedDB store, and the
 * effects of machines/browser-session.ts — create or unlock that user, find the Node instance,
 * and federate with it over ws://127.0.0.1:8765 (pairing once by invitation, a contact after).
 */
const NODE = 'federation/node';

export class BrowserInstance {
  #identity?: Identity;
  #invitation?: Invitation;
  readonly #proven = new Map<string, PeerIdentity>();

  private constructor(readonly store: ObjectStore) {}

  static async open(name = 'lama-browser'): Promise<BrowserInstance> {
    return new BrowserInstance(new ObjectStore({ adapter: await IndexedDbStorage.open(name), hasher: nobleCrypto, recipes: IDENTITY_RECIPES }));
  }

  get identity(): Identity | undefined {
    return this.#identity;
  }

  hasUser(): Promise<boolean> {
    return hasIdentity(this.store);
  }

  async unlock(request: { name: string; passphrase: string; create: boolean }): Promise<BrowserUser> {
    this.#identity = request.create
      ? await createIdentity(this.store, nobleCrypto, { name: request.name, instanceName: 'browser', passphrase: request.passphrase })
      : await openIdentity(this.store, nobleCrypto, request.passphrase);
    return { personId: this.#identity.personId, instanceId: this.#identity.instanceId };
  }

  /** The Node as this browser knows it, or — first time — an invitation the host hands over. */
  async findNode(invite: () => Promise<{ url: string; pairingToken: string }>): Promise<FederationTarget> {
    const known = await this.store.adapter.getSecret(NODE);
    if (known) return { url: (dagCbor.decode(known) as { url: string }).url };
    const { url, pairingToken } = await invite();
    this.#invitation = readInvitation(nobleCrypto, pairingToken);
    return { url, token: pairingToken };
  }

  /** The connection statechart with this instance's link, pairing and sync. */
  connectionLogic(sync: ReturnType<typeof fromCallback<EventObject, SessionInput>>) {
    const identity = () => {
      if (!this.#identity) throw new Error('the browser user is locked');
      return this.#identity;
    };
    const me: LocalInstance = {
      get personId() {
        return identity().personId;
      },
      get instanceId() {
        return identity().instanceId;
      },
      get instance() {
        return identity().instance;
      },
    };
    const admit = async (peer: PeerIdentity): Promise<Admission> => {
      const keys = await knownInstanceKeys(this.store, peer.instanceId);
      if (keys) return equal(keys.publicSignKey, peer.signKey) && equal(keys.publicEncryptionKey, peer.staticKey) ? 'contact' : 'these are not the keys this Node had';
      const invited = this.#invitation;
      if (invited && invited.instanceId === peer.instanceId && equal(invited.signKey, peer.signKey) && equal(invited.staticKey, peer.staticKey)) {
        this.#proven.set(peer.instanceId, peer);
        return 'pairing';
      }
      return 'not the Node instance this browser was invited to';
    };
    const pair = fromPromise<void, SessionInput>(async ({ input }) => {
      const peer = this.#proven.get(input.peer.instanceId);
      const invitation = this.#invitation;
      if (!peer || !invitation) throw new Error('no invitation to pair with');
      await requestPairing(input.session, { store: this.store, crypto: nobleCrypto, identity: identity(), peer, invitation });
      this.#invitation = undefined;
      await this.store.adapter.write({ secrets: [{ name: NODE, value: dagCbor.encode({ url: invitation.url, personId: invitation.personId, instanceId: invitation.instanceId }) }] });
    });
    return connectionMachine.provide({
      actors: { link: secureLink({ crypto: nobleCrypto, identity: me, admit, dial: (url) => connectWebSocket(url) }), pair, sync },
    });
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
}
