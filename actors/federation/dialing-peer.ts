import * as dagCbor from '@ipld/dag-cbor';
import { fromPromise, type EventObject, type fromCallback } from 'xstate';
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { knownInstanceKeys } from '../identity/contacts.ts';
import { createIdentity, hasIdentity, openIdentity, type Identity } from '../identity/identity.ts';
import type { FramePort } from '../net/frame-port.ts';
import type { LocalInstance, PeerIdentity } from '../net/identity-proof.ts';
import { secureLink } from '../net/secure-connection-link.ts';
import type { Admission } from '../net/secure-connection.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { connectionMachine, type SessionInput } from '../../machines/connection.ts';
import type { BrowserUser, FederationTarget } from '../../machines/browser-session.ts';
import { readInvitation, type Invitation } from './invitation.ts';
import { requestPairing } from './pairing-protocol.ts';

/**
 * An Instance that dials another to federate with it — the browser dialing its Node instance, a
 * phone dialing the laptop: its user (created or unlocked with a passphrase), the Instance it
 * federates with (remembered after pairing, else an invitation), and the connection statechart
 * with link, pairing and sync for it. Runtime-neutral: the caller passes how to dial.
 */
const REMEMBERED = 'federation/node';

export interface DialingPeerOptions {
  readonly store: ObjectStore;
  readonly crypto: CryptoProvider;
  readonly instanceName: string;
  readonly dial: (url: string) => FramePort;
}

export class DialingPeer {
  #identity?: Identity;
  #invitation?: Invitation;
  readonly #proven = new Map<string, PeerIdentity>();

  constructor(private readonly options: DialingPeerOptions) {}

  get store(): ObjectStore {
    return this.options.store;
  }

  get identity(): Identity | undefined {
    return this.#identity;
  }

  hasUser(): Promise<boolean> {
    return hasIdentity(this.store);
  }

  async unlock(request: { name: string; passphrase: string; create: boolean; kdf?: { N: number; r: number; p: number } }): Promise<BrowserUser> {
    const { crypto, instanceName } = this.options;
    this.#identity = request.create
      ? await createIdentity(this.store, crypto, { name: request.name, instanceName, passphrase: request.passphrase, ...(request.kdf ? { kdf: request.kdf } : {}) })
      : await openIdentity(this.store, crypto, request.passphrase);
    return { personId: this.#identity.personId, instanceId: this.#identity.instanceId };
  }

  /** The Instance this peer federates with as it remembers it, or — first time — by an invitation. */
  async findNode(invite: () => Promise<{ url: string; pairingToken: string }>): Promise<FederationTarget> {
    const known = await this.store.adapter.getSecret(REMEMBERED);
    if (known) return { url: (dagCbor.decode(known) as { url: string }).url };
    const { url, pairingToken } = await invite();
    this.#invitation = readInvitation(this.options.crypto, pairingToken);
    return { url, token: pairingToken };
  }

  /** The connection statechart (dialer) with this peer's link, pairing and `sync`. */
  connectionLogic(sync: ReturnType<typeof fromCallback<EventObject, SessionInput>>) {
    const { crypto, dial } = this.options;
    const identity = () => {
      if (!this.#identity) throw new Error('the user is locked');
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
      if (keys) return equal(keys.publicSignKey, peer.signKey) && equal(keys.publicEncryptionKey, peer.staticKey) ? 'contact' : 'these are not the keys this Instance had';
      const invited = this.#invitation;
      if (invited && invited.instanceId === peer.instanceId && equal(invited.signKey, peer.signKey) && equal(invited.staticKey, peer.staticKey)) {
        this.#proven.set(peer.instanceId, peer);
        return 'pairing';
      }
      return 'not the Instance this one was invited to';
    };
    const pair = fromPromise<void, SessionInput>(async ({ input }) => {
      const peer = this.#proven.get(input.peer.instanceId);
      const invitation = this.#invitation;
      if (!peer || !invitation) throw new Error('no invitation to pair with');
      await requestPairing(input.session, { store: this.store, crypto, identity: identity(), peer, invitation });
      this.#invitation = undefined;
      const remembered = { url: invitation.url, personId: invitation.personId, instanceId: invitation.instanceId };
      await this.store.adapter.write({ secrets: [{ name: REMEMBERED, value: dagCbor.encode(remembered) }] });
    });
    return connectionMachine.provide({ actors: { link: secureLink({ crypto, identity: me, admit, dial }), pair, sync } });
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
}
