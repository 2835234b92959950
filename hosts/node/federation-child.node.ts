import { fromPromise, type EventObject, type fromCallback } from 'xstate';
import type { CryptoProvider } from '../../actors/crypto/crypto-provider.ts';
import { knownInstanceKeys } from '../../actors/identity/contacts.ts';
import type { Identity } from '../../actors/identity/identity.ts';
import type { InvitationBook } from '../../actors/federation/invitation.ts';
import { answerPairing } from '../../actors/federation/pairing-protocol.ts';
import type { LocalInstance, PeerIdentity } from '../../actors/net/identity-proof.ts';
import { secureLink } from '../../actors/net/secure-connection-link.ts';
import type { Admission } from '../../actors/net/secure-connection.ts';
import { connectWebSocket } from '../../actors/net/ws-client.node.ts';
import { wsListen } from '../../actors/net/ws-listen.node.ts';
import type { ObjectStore } from '../../actors/store/object-store.ts';
import { connectionMachine, type SessionInput } from '../../machines/connection.ts';
import { federationListenerMachine, type ListenerInput } from '../../machines/federation-listener.ts';

/**
 * The Node host's federation child: the listener on 127.0.0.1:8765 whose connections are checked
 * against the archive's contacts, pair by invitation, and then sync. Wiring only; the behaviour is
 * in machines/federation-listener.ts, machines/connection.ts and actors/.
 */
export const FEDERATION_PORT = 8765;

export interface FederationWiring {
  readonly crypto: CryptoProvider;
  readonly store: () => ObjectStore;
  /** The Node user; the listener only runs once it is provisioned. */
  readonly identity: () => Identity;
  readonly invitations: InvitationBook;
  /** Web origins whose pages may connect: the host's own UI origin. */
  readonly allowedOrigins: () => readonly string[];
  /** What a connection does once its peer is a contact: a CHUM session (actors/chum/chum-sync.ts). */
  readonly sync: ReturnType<typeof fromCallback<EventObject, SessionInput>>;
}

export function federationChild(wiring: FederationWiring, port = FEDERATION_PORT): { logic: typeof federationListenerMachine; input: ListenerInput } {
  // The user exists by the time a connection starts; the getters read it then, not at wiring time.
  const me: LocalInstance = {
    get personId() {
      return wiring.identity().personId;
    },
    get instanceId() {
      return wiring.identity().instanceId;
    },
    get instance() {
      return wiring.identity().instance;
    },
  };
  // The keys each admitted peer proved, for pairing to check its card against.
  const proven = new Map<string, PeerIdentity>();

  const admit = async (peer: PeerIdentity): Promise<Admission> => {
    const keys = await knownInstanceKeys(wiring.store(), peer.instanceId);
    if (keys) {
      const same = equal(keys.publicSignKey, peer.signKey) && equal(keys.publicEncryptionKey, peer.staticKey);
      return same ? 'contact' : 'this Instance is a contact, but these are not its keys';
    }
    if (wiring.invitations.size === 0) return 'not a contact, and no invitation is open';
    proven.set(peer.instanceId, peer);
    return 'pairing';
  };

  const pair = fromPromise<void, SessionInput>(async ({ input }) => {
    const peer = proven.get(input.peer.instanceId);
    proven.delete(input.peer.instanceId);
    if (input.role !== 'acceptor' || !peer) throw new Error('the Node host only answers pairing requests');
    await answerPairing(input.session, { store: wiring.store(), crypto: wiring.crypto, identity: wiring.identity(), book: wiring.invitations, peer });
  });

  const logic = federationListenerMachine.provide({
    actors: {
      listen: wsListen({
        get allowedOrigins() {
          return wiring.allowedOrigins();
        },
      }),
      connection: connectionMachine.provide({
        actors: {
          link: secureLink({ crypto: wiring.crypto, identity: me, admit, dial: (url) => connectWebSocket(url) }),
          pair,
          sync: wiring.sync,
        },
      }),
    },
  });
  return { logic, input: { port } };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
}
