import { createActor, fromCallback, fromPromise, waitFor, type EventObject } from 'xstate';
import type { CryptoProvider } from '../../actors/crypto/crypto-provider.ts';
import { createIdentity, type Identity } from '../../actors/identity/identity.ts';
import { identityStore, TEST_KDF } from '../../actors/identity/identity-test-kit.ts';
import { trusting } from '../../actors/net/channel-test-kit.ts';
import type { LocalInstance, PeerIdentity } from '../../actors/net/identity-proof.ts';
import { secureLink } from '../../actors/net/secure-connection-link.ts';
import type { Admission } from '../../actors/net/secure-connection.ts';
import { connectWebSocket } from '../../actors/net/ws-client.node.ts';
import { wsListen } from '../../actors/net/ws-listen.node.ts';
import { connectionMachine, type ConnectionStatus, type SessionInput } from '../../machines/connection.ts';
import { federationListenerMachine, type ListenerEmitted } from '../../machines/federation-listener.ts';

/**
 * The federation stack wired as a host would wire it — the listener and connection machines with
 * the real `listen` (ws on 127.0.0.1) and `link` (secure connection) actors — for integration tests.
 * Pairing refuses (these tests have no invitations) and CHUM is an echo: every data message comes
 * back, so a client can tell its connection works end to end.
 */

export async function newIdentity(crypto: CryptoProvider, name: string): Promise<Identity> {
  return createIdentity(identityStore(crypto), crypto, { name, instanceName: `${name}'s device`, passphrase: 'correct horse battery', kdf: TEST_KDF });
}

/** Admits the given Instances as contacts and refuses everyone else, with the reason. */
export function contacts(...known: LocalInstance[]): (peer: PeerIdentity) => Promise<Admission> {
  return async (peer) => {
    const verdict = await trusting(...known)(peer);
    return verdict === true ? 'contact' : verdict;
  };
}

const noPairing = fromPromise<void, SessionInput>(async () => {
  throw new Error('no invitation is pending');
});

/** CHUM's stand-in on the listener: echoes every message. */
const echo = fromCallback<EventObject, SessionInput>(({ input }) => input.session.on('data', (body) => input.session.send(body)));

export interface ListenerOptions {
  readonly crypto: CryptoProvider;
  readonly identity: LocalInstance;
  readonly admit: (peer: PeerIdentity) => Promise<Admission>;
  readonly allowedOrigins: readonly string[];
  readonly port?: number;
  readonly handshakeTimeoutMs?: number;
  readonly maxHandshaking?: number;
}

export async function startListener(options: ListenerOptions) {
  const machine = federationListenerMachine.provide({
    actors: {
      listen: wsListen({ allowedOrigins: options.allowedOrigins }),
      connection: connectionMachine.provide({
        actors: {
          link: secureLink({ crypto: options.crypto, identity: options.identity, admit: options.admit, handshakeTimeoutMs: options.handshakeTimeoutMs, dial: (url) => connectWebSocket(url) }),
          pair: noPairing,
          sync: echo,
        },
      }),
    },
  });
  const actor = createActor(machine, { input: { port: options.port ?? 0, maxHandshaking: options.maxHandshaking } });
  const downs: Extract<ListenerEmitted, { type: 'connection.down' }>[] = [];
  const ups: Extract<ListenerEmitted, { type: 'connection.up' }>[] = [];
  actor.on('connection.down', (event) => downs.push(event));
  actor.on('connection.up', (event) => ups.push(event));
  actor.start();
  const snapshot = await waitFor(actor, (s) => s.matches({ running: 'listening' }) || s.status === 'done', { timeout: 5_000 });
  const port = snapshot.context.port;
  return { actor, downs, ups, port, url: `ws://127.0.0.1:${port}` };
}

/**
 * A long-lived healthy client: a dialer connection whose "CHUM" sends a numbered message every
 * `intervalMs` and counts the echoes, so a test can see the connection keep working.
 */
export function startHealthyClient(options: { crypto: CryptoProvider; identity: LocalInstance; server: LocalInstance; url: string; intervalMs?: number }) {
  const stats = { sent: 0, echoed: 0, outOfOrder: 0 };
  const pinger = fromCallback<EventObject, SessionInput>(({ input }) => {
    const stop = input.session.on('data', (body) => {
      const n = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0);
      if (n !== stats.echoed) stats.outOfOrder++;
      stats.echoed++;
    });
    const timer = setInterval(() => {
      const body = new Uint8Array(4);
      new DataView(body.buffer).setUint32(0, stats.sent++);
      input.session.send(body);
    }, options.intervalMs ?? 10);
    return () => {
      clearInterval(timer);
      stop();
    };
  });
  const machine = connectionMachine.provide({
    actors: {
      link: secureLink({ crypto: options.crypto, identity: options.identity, admit: contacts(options.server), dial: (url) => connectWebSocket(url) }),
      pair: noPairing,
      sync: pinger,
    },
  });
  const statuses: ConnectionStatus[] = [];
  const actor = createActor(machine, { input: { role: 'dialer', url: options.url } });
  actor.on('*', (status) => statuses.push(status));
  actor.start();
  return { actor, stats, statuses };
}

/** Resolves once `condition` holds, polling every 10 ms for at most `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
