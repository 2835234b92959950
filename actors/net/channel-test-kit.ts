import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { bytesToHex, type SHA256Hash } from '../store/hash.ts';
import type { ChannelError } from './channel-error.ts';
import type { LocalInstance, PeerIdentity } from './identity-proof.ts';
import { SecureChannel, type Authorize, type ChannelEvent } from './secure-channel.ts';

/** Test helpers for secure channels: identities, a simulated clock, and two channels back to back. */

export function testInstance(crypto: CryptoProvider): LocalInstance {
  const signSecret = crypto.ed25519.generateSecretKey();
  const encryptionSecretKey = crypto.x25519.generateSecretKey();
  return {
    personId: bytesToHex(crypto.randomBytes(32)) as SHA256Hash,
    instanceId: bytesToHex(crypto.randomBytes(32)) as SHA256Hash,
    instance: {
      signer: crypto.ed25519.signer(signSecret),
      encryptionSecretKey,
      encryptionPublicKey: crypto.x25519.publicKey(encryptionSecretKey),
    },
  };
}

/** An authorize() that accepts exactly these Instances, with both of their published keys. */
export function trusting(...instances: LocalInstance[]): Authorize {
  return (peer: PeerIdentity) =>
    instances.some(
      (known) =>
        known.personId === peer.personId &&
        known.instanceId === peer.instanceId &&
        sameBytes(known.instance.signer.publicKey, peer.signKey) &&
        sameBytes(known.instance.encryptionPublicKey, peer.staticKey),
    ) || `unknown instance ${peer.instanceId}`;
}

export class SimulatedClock {
  time = 1_000;
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/** One end: its channel, the messages it has output and not yet delivered, and every event it emitted. */
export interface End {
  readonly channel: SecureChannel;
  readonly identity: LocalInstance;
  readonly outbox: Uint8Array[];
  readonly events: ChannelEvent[];
}

export interface PairOptions {
  readonly initiatorCrypto?: CryptoProvider;
  readonly responderCrypto?: CryptoProvider;
  readonly initiator?: LocalInstance;
  readonly responder?: LocalInstance;
  /** Defaults: each side trusts exactly the other. */
  readonly initiatorAuthorizes?: Authorize;
  readonly responderAuthorizes?: Authorize;
  readonly clock?: SimulatedClock;
}

/** Two channels whose output is queued, not delivered: tests move (or alter) the bytes themselves. */
export function channelPair(crypto: CryptoProvider, options: PairOptions = {}): { a: End; b: End; clock: SimulatedClock } {
  const clock = options.clock ?? new SimulatedClock();
  const aCrypto = options.initiatorCrypto ?? crypto;
  const bCrypto = options.responderCrypto ?? crypto;
  const aIdentity = options.initiator ?? testInstance(aCrypto);
  const bIdentity = options.responder ?? testInstance(bCrypto);
  const end = (identity: LocalInstance, make: (outbox: Uint8Array[], events: ChannelEvent[]) => SecureChannel): End => {
    const outbox: Uint8Array[] = [];
    const events: ChannelEvent[] = [];
    return { channel: make(outbox, events), identity, outbox, events };
  };
  const b = end(bIdentity, (outbox, events) =>
    SecureChannel.respond({
      crypto: bCrypto,
      identity: bIdentity,
      authorize: options.responderAuthorizes ?? trusting(aIdentity),
      output: (bytes) => outbox.push(bytes),
      onEvent: (event) => events.push(event),
      now: clock.now,
    }),
  );
  const a = end(aIdentity, (outbox, events) =>
    SecureChannel.initiate({
      crypto: aCrypto,
      identity: aIdentity,
      authorize: options.initiatorAuthorizes ?? trusting(bIdentity),
      output: (bytes) => outbox.push(bytes),
      onEvent: (event) => events.push(event),
      now: clock.now,
    }),
  );
  return { a, b, clock };
}

/** Lets pending promise callbacks (authorize verdicts) run. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Moves every queued message from `from` to `to`, optionally altered; returns how many moved. */
export function deliver(from: End, to: End, alter: (bytes: Uint8Array, index: number) => Uint8Array = (bytes) => bytes): number {
  const messages = from.outbox.splice(0);
  messages.forEach((bytes, index) => to.channel.receive(alter(bytes, index)));
  return messages.length;
}

/** Delivers both ways until neither side has anything left to say. */
export async function run(a: End, b: End): Promise<void> {
  for (;;) {
    const moved = deliver(a, b) + deliver(b, a);
    await settle();
    if (moved === 0 && a.outbox.length === 0 && b.outbox.length === 0) return;
  }
}

export function eventTypes(end: End): string[] {
  return end.events.map((event) => (event.type === 'handshake' ? `${event.direction} ${event.message}` : event.type));
}

export function dataOf(end: End): string[] {
  return end.events.flatMap((event) => (event.type === 'data' ? [new TextDecoder().decode(event.body)] : []));
}

export function errorOf(end: End): ChannelError | undefined {
  const event = end.events.find((candidate) => candidate.type === 'error');
  return event?.type === 'error' ? event.error : undefined;
}

export const text = (value: string): Uint8Array => new TextEncoder().encode(value);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
