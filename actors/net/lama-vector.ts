import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { bytesToHex, hexToBytes, type SHA256Hash } from '../store/hash.ts';
import { SimulatedClock } from './channel-test-kit.ts';
import type { LocalInstance, PeerIdentity, Role } from './identity-proof.ts';
import { HEARTBEAT_INTERVAL_MS } from './liveness.ts';
import { PROLOGUE, SecureChannel, type ChannelEvent } from './secure-channel.ts';

/**
 * The recorded LAMA/1 session (lama-vector.json, specs/handshake.md §9): fixed keys and ids, the
 * three handshake messages, the handshake hash, then a data frame each way, a heartbeat and a
 * goodbye, every one as its exact wire bytes. Ed25519 signatures are deterministic, so fixed
 * inputs give one byte string; a second implementation must reproduce it.
 */
export interface VectorParty {
  personId: string;
  instanceId: string;
  signSeed: string;
  staticSecret: string;
  ephemeralSecret: string;
}

export interface VectorInputs {
  initiator: VectorParty;
  responder: VectorParty;
}

export interface WireRecord {
  from: Role;
  wire: string;
  /** What the receiving channel emitted for it, in the order emitted. */
  events: string[];
}

export interface Transcript {
  prologue: string;
  handshakeHash: string;
  messages: WireRecord[];
}

function localInstance(crypto: CryptoProvider, party: VectorParty): LocalInstance {
  const encryptionSecretKey = hexToBytes(party.staticSecret);
  return {
    personId: party.personId as SHA256Hash,
    instanceId: party.instanceId as SHA256Hash,
    instance: { signer: crypto.ed25519.signer(hexToBytes(party.signSeed)), encryptionSecretKey, encryptionPublicKey: crypto.x25519.publicKey(encryptionSecretKey) },
  };
}

function describeEvent(event: ChannelEvent): string {
  switch (event.type) {
    case 'handshake':
      return `handshake ${event.direction} ${event.message}`;
    case 'established':
      return `established ${event.peer.instanceId}`;
    case 'data':
      return `data ${bytesToHex(event.body)}`;
    case 'heartbeat':
      return 'heartbeat';
    case 'goodbye':
      return `goodbye ${event.reason}`;
    case 'error':
      return `error ${event.error.code}`;
  }
}

/** Runs the scripted session with the given provider and records every message on the wire. */
export async function recordTranscript(crypto: CryptoProvider, inputs: VectorInputs): Promise<Transcript> {
  const clock = new SimulatedClock();
  const messages: WireRecord[] = [];
  const inFlight: WireRecord[] = [];
  const hashes: string[] = [];
  const options = (role: Role) => {
    const peer = inputs[role === 'initiator' ? 'responder' : 'initiator'];
    return {
      crypto,
      identity: localInstance(crypto, inputs[role]),
      authorize: (candidate: PeerIdentity) => candidate.instanceId === peer.instanceId,
      output: (bytes: Uint8Array) => inFlight.push({ from: role, wire: bytesToHex(bytes), events: [] }),
      // Events follow the message whose arrival caused them (an authorize() verdict included).
      onEvent: (event: ChannelEvent) => {
        if (event.type === 'established') hashes.push(bytesToHex(event.handshakeHash));
        messages.at(-1)?.events.push(describeEvent(event));
      },
      now: clock.now,
      ephemeralSecretKey: hexToBytes(inputs[role].ephemeralSecret),
    };
  };
  const channels: Record<Role, SecureChannel> = { responder: SecureChannel.respond(options('responder')), initiator: SecureChannel.initiate(options('initiator')) };
  const deliverAll = async () => {
    for (;;) {
      const next = inFlight.shift();
      if (next) {
        messages.push(next);
        channels[next.from === 'initiator' ? 'responder' : 'initiator'].receive(hexToBytes(next.wire));
      } else {
        await new Promise((resolve) => setTimeout(resolve, 0)); // authorize() verdicts
        if (inFlight.length === 0) return;
      }
    }
  };
  await deliverAll();
  const text = new TextEncoder();
  channels.initiator.send(text.encode('hello from the initiator'));
  channels.responder.send(text.encode('and hello back'));
  await deliverAll();
  clock.advance(HEARTBEAT_INTERVAL_MS);
  channels.initiator.tick(); // idle since its data frame: a heartbeat
  await deliverAll();
  channels.responder.goodbye('done');
  await deliverAll();
  if (hashes.length !== 2 || hashes[0] !== hashes[1]) throw new Error(`the two ends disagree on the handshake hash: ${hashes.join(' ')}`);
  return { prologue: bytesToHex(PROLOGUE), handshakeHash: hashes[0]!, messages };
}
