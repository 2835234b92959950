import { isCryptoError } from '../crypto/crypto-error.ts';
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { ChannelError } from './channel-error.ts';
import { checkProof, encodeProof, type LocalInstance, type PeerIdentity, type Role } from './identity-proof.ts';
import { LengthPrefixedReader, lengthPrefixed } from './length-prefixed-reader.ts';
import { Liveness } from './liveness.ts';
import { HandshakeState, type TransportCiphers } from './noise/handshake-state.ts';
import { isNoiseError } from './noise/noise-error.ts';
import { FRAME_TYPE, MAX_BODY_BYTES, MAX_TRANSPORT_MESSAGE_BYTES, openFrame, sealFrame, type FrameTypeByte } from './transport-frames.ts';

/**
 * LAMA's secure channel (specs/handshake.md): Noise XX between two Instances, each proving its
 * identity in its handshake payload, then encrypted length-prefixed frames. It is a pure state
 * machine over bytes: the socket layer feeds it what arrives (`receive`, `end`), writes what it
 * outputs, and calls `tick` at `nextDeadline()`; it owns no socket and no timer, so the same code
 * runs over WebSocket, in-process pipes and tests with a simulated clock.
 */
export const PROLOGUE = new TextEncoder().encode('LAMA/1');
/** A stalled handshake — a peer that connects and goes quiet — is given up after this long. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;
/**
 * Handshake messages carry two keys and an identity proof (about 300 bytes); anything far larger
 * is not a LAMA handshake, and is refused before it is buffered.
 */
export const MAX_HANDSHAKE_MESSAGE_BYTES = 1024;
/** Message 1 is the initiator's ephemeral key with an empty payload, nothing else. */
const FIRST_MESSAGE_BYTES = 32;
/**
 * What a responder holds for an initiator it has not yet accepted: room for two maximal frames, so
 * an eager initiator is not refused, but one that has not been accepted cannot fill our memory.
 */
export const MAX_PENDING_BYTES = 2 * (4 + MAX_TRANSPORT_MESSAGE_BYTES);

/** Accept (true), or refuse (false, or a reason): the caller decides which peer keys it trusts. */
export type Authorize = (peer: PeerIdentity) => boolean | string | Promise<boolean | string>;

export type ChannelEvent =
  | { readonly type: 'handshake'; readonly message: 1 | 2 | 3; readonly direction: 'sent' | 'received' }
  | { readonly type: 'established'; readonly peer: PeerIdentity; readonly handshakeHash: Uint8Array }
  | { readonly type: 'data'; readonly body: Uint8Array }
  | { readonly type: 'heartbeat' }
  /** The peer said goodbye; the channel is closed. */
  | { readonly type: 'goodbye'; readonly reason: string }
  /** The channel failed and is closed. */
  | { readonly type: 'error'; readonly error: ChannelError };

export type ChannelState = 'handshake' | 'authorizing' | 'open' | 'closed';

export interface SecureChannelOptions {
  readonly crypto: CryptoProvider;
  /** This Instance: its ids, Ed25519 signer and X25519 key pair (the Noise static key). */
  readonly identity: LocalInstance;
  readonly authorize: Authorize;
  /** Bytes to write to the wire, one whole message per call. */
  readonly output: (bytes: Uint8Array) => void;
  readonly onEvent: (event: ChannelEvent) => void;
  /** Milliseconds on a monotonic clock; tests pass a simulated one. */
  readonly now?: () => number;
  /** A fixed ephemeral secret, for the recorded LAMA handshake vector only; never in production. */
  readonly ephemeralSecretKey?: Uint8Array;
}

export class SecureChannel {
  /** Starts a handshake as the initiator: message 1 is output before this returns. */
  static initiate(options: SecureChannelOptions): SecureChannel {
    const channel = new SecureChannel('initiator', options);
    channel.#writeHandshake(channel.#handshake.writeMessage(new Uint8Array(0)));
    return channel;
  }

  /** Waits for an initiator's message 1. */
  static respond(options: SecureChannelOptions): SecureChannel {
    return new SecureChannel('responder', options);
  }

  readonly role: Role;
  readonly #options: SecureChannelOptions;
  readonly #now: () => number;
  readonly #handshake: HandshakeState;
  readonly #handshakeDeadline: number;
  readonly #reader = new LengthPrefixedReader();
  #state: ChannelState = 'handshake';
  #peer: PeerIdentity | undefined;
  #transport: TransportCiphers | undefined;
  #liveness: Liveness | undefined;
  /** Set while the receive loop runs, so bytes that arrive re-entrantly (from an event handler or a synchronous peer) join it. */
  #pumping = false;
  /** The stream ended while the responder was still deciding; judged once it has decided. */
  #ended = false;

  private constructor(role: Role, options: SecureChannelOptions) {
    this.role = role;
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#handshakeDeadline = this.#now() + HANDSHAKE_TIMEOUT_MS;
    const { instance } = options.identity;
    this.#handshake = new HandshakeState(options.crypto, {
      pattern: 'XX',
      initiator: role === 'initiator',
      prologue: PROLOGUE,
      staticKeyPair: { secretKey: instance.encryptionSecretKey, publicKey: instance.encryptionPublicKey },
      ephemeralSecretKey: options.ephemeralSecretKey,
    });
  }

  get state(): ChannelState {
    return this.#state;
  }

  /** The authenticated peer once the handshake has read its proof (before authorize() accepts it). */
  get peer(): PeerIdentity | undefined {
    return this.#peer;
  }

  /** Feeds bytes from the wire, cut anywhere. The channel keeps them: do not reuse the buffer. */
  receive(bytes: Uint8Array): void {
    if (this.#state === 'closed') return;
    this.#reader.push(bytes);
    if (this.#state === 'authorizing') {
      // The initiator is deciding whether to send message 3; until it has, the responder has no
      // turn, so anything from it now is out of protocol. The responder is deciding whether to
      // accept an initiator that may already send frames: keep them until the verdict.
      if (this.role === 'initiator') this.#fail(new ChannelError('PROTOCOL', 'the responder sent bytes before message 3'));
      else if (this.#reader.buffered > MAX_PENDING_BYTES) this.#fail(new ChannelError('OVERSIZED', `over ${MAX_PENDING_BYTES} bytes sent before the initiator was accepted`));
      return;
    }
    this.#pump();
  }

  /** The underlying stream ended. */
  end(): void {
    if (this.#state === 'closed') return;
    if (this.#state === 'authorizing' && this.role === 'responder') {
      this.#ended = true; // what is buffered may be whole frames awaiting the verdict
      return;
    }
    if (this.#reader.buffered > 0) this.#fail(new ChannelError('TRUNCATED', `the stream ended inside a message (${this.#reader.buffered} bytes of it received)`));
    else this.#fail(new ChannelError('CLOSED', `the stream ended without a goodbye (${this.#state})`));
  }

  send(body: Uint8Array): void {
    this.#requireOpen('send');
    if (body.length > MAX_BODY_BYTES) throw new ChannelError('OVERSIZED', `a body of ${body.length} bytes; at most ${MAX_BODY_BYTES}`);
    this.#writeFrame(FRAME_TYPE.data, body);
  }

  /** Says goodbye and closes. Before the handshake completes there is no key to say it with: it only closes. */
  goodbye(reason: string): void {
    if (this.#state === 'closed') return;
    const body = new TextEncoder().encode(reason);
    if (body.length > MAX_BODY_BYTES) throw new ChannelError('OVERSIZED', `a goodbye reason of ${body.length} bytes`);
    if (this.#state === 'open') this.#writeFrame(FRAME_TYPE.goodbye, body);
    this.#state = 'closed';
  }

  /** Runs what is due now: the handshake deadline, a heartbeat, the peer timeout. */
  tick(): void {
    const now = this.#now();
    if (this.#state === 'handshake' || this.#state === 'authorizing') {
      if (now >= this.#handshakeDeadline) this.#fail(new ChannelError('HANDSHAKE_TIMEOUT', `no complete handshake after ${HANDSHAKE_TIMEOUT_MS} ms`));
    } else if (this.#state === 'open') {
      const due = this.#liveness!.due(now);
      if (due === 'peer-timeout') this.#fail(new ChannelError('HEARTBEAT_TIMEOUT', 'nothing heard from the peer for too long'));
      else if (due === 'send-heartbeat') this.#writeFrame(FRAME_TYPE.heartbeat, new Uint8Array(0));
    }
  }

  /** When `tick` has something to do next (on the `now` clock); undefined once closed. */
  nextDeadline(): number | undefined {
    if (this.#state === 'closed') return undefined;
    return this.#liveness?.nextDeadline() ?? this.#handshakeDeadline;
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#state === 'handshake' || this.#state === 'open') {
        const message = this.#reader.next(this.#state === 'open' ? MAX_TRANSPORT_MESSAGE_BYTES : MAX_HANDSHAKE_MESSAGE_BYTES);
        if (!message) break;
        if (this.#state === 'open') this.#readFrame(message);
        else this.#readHandshake(message);
      }
    } catch (error) {
      this.#fail(asChannelError(error));
    } finally {
      this.#pumping = false;
    }
  }

  #readHandshake(message: Uint8Array): void {
    const number = (this.#handshake.messageCount + 1) as 1 | 2 | 3;
    if (number === 1 && message.length !== FIRST_MESSAGE_BYTES) {
      throw new ChannelError('PROTOCOL', `message 1 of ${message.length} bytes; it is one ephemeral key of ${FIRST_MESSAGE_BYTES}`);
    }
    const { payload, hashBeforePayload } = this.#handshake.readMessage(message);
    this.#emit({ type: 'handshake', message: number, direction: 'received' });
    // Bytes behind message 1 or 2 were sent before the peer could have seen our reply to it.
    if (number !== 3 && this.#reader.buffered > 0) throw new ChannelError('PROTOCOL', `the peer sent bytes after message ${number} before its turn`);
    if (number === 1) {
      this.#writeHandshake(this.#handshake.writeMessage((hash) => encodeProof('responder', this.#options.identity, hash)));
      return;
    }
    this.#peer = checkProof(this.#options.crypto, number === 2 ? 'responder' : 'initiator', payload, hashBeforePayload, this.#handshake.remoteStaticKey!);
    if (number === 3) {
      // Split now, so that a refusal can still be told to the initiator in a goodbye frame.
      this.#transport = this.#handshake.split();
      this.#authorize(this.#peer, () => this.#open());
    } else {
      this.#authorize(this.#peer, () => {
        const third = this.#handshake.writeMessage((hash) => encodeProof('initiator', this.#options.identity, hash));
        this.#transport = this.#handshake.split();
        // Open before message 3 leaves: the responder may answer it at once.
        this.#open();
        this.#writeHandshake(third);
      });
    }
  }

  #writeHandshake(message: Uint8Array): void {
    this.#options.output(lengthPrefixed(message));
    this.#emit({ type: 'handshake', message: this.#handshake.messageCount as 1 | 2 | 3, direction: 'sent' });
  }

  /**
   * Asks the caller's authorize(); on acceptance runs `accept` and emits `established`, holding the
   * receive loop meanwhile so that no frame can be delivered before the `established` event.
   */
  #authorize(peer: PeerIdentity, accept: () => void): void {
    this.#state = 'authorizing';
    const verdict = new Promise<boolean | string>((resolve) => resolve(this.#options.authorize(peer)));
    verdict.then(
      (result) => {
        if (this.#state !== 'authorizing') return; // timed out or closed meanwhile
        if (result !== true) {
          this.#fail(new ChannelError('WRONG_KEY', `peer ${peer.instanceId} refused: ${result === false ? 'not authorized' : result}`));
          return;
        }
        this.#pumping = true;
        try {
          accept();
          this.#emit({ type: 'established', peer, handshakeHash: this.#handshake.handshakeHash });
        } finally {
          this.#pumping = false;
        }
        this.#pump();
        if (this.#ended) this.end();
      },
      (error: unknown) => {
        if (this.#state === 'authorizing') this.#fail(new ChannelError('WRONG_KEY', `peer ${peer.instanceId} refused: authorize failed`, { cause: error }));
      },
    );
  }

  #open(): void {
    this.#state = 'open';
    this.#liveness = new Liveness(this.#now());
  }

  #readFrame(message: Uint8Array): void {
    const frame = openFrame(this.#transport!.receive, message);
    this.#liveness!.received(this.#now());
    if (frame.type === 'goodbye') this.#state = 'closed';
    this.#emit(frame);
  }

  #writeFrame(type: FrameTypeByte, body: Uint8Array): void {
    this.#options.output(sealFrame(this.#transport!.send, type, body));
    this.#liveness?.sent(this.#now());
  }

  #requireOpen(operation: string): void {
    if (this.#state === 'closed') throw new ChannelError('CLOSED', `${operation} on a closed channel`);
    if (this.#state !== 'open') throw new ChannelError('PROTOCOL', `${operation} before the handshake completed`);
  }

  /** Closes with `error`, first telling the peer why when there is a key to tell it with. */
  #fail(error: ChannelError): void {
    if (this.#state === 'closed') return;
    if (this.#transport) this.#writeFrame(FRAME_TYPE.goodbye, new TextEncoder().encode(`${error.code}: ${error.message}`));
    this.#state = 'closed';
    this.#emit({ type: 'error', error });
  }

  #emit(event: ChannelEvent): void {
    this.#options.onEvent(event);
  }
}

/** Failures of the layers below, in the channel's terms; anything unexpected is a bug and propagates. */
function asChannelError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  if (isCryptoError(error, 'AEAD_AUTH_FAILED')) return new ChannelError('TAMPERED', 'a handshake message does not authenticate: altered in transit, or not a LAMA/1 peer', { cause: error });
  if (isCryptoError(error, 'LOW_ORDER_POINT')) return new ChannelError('WRONG_KEY', 'the peer sent a low-order X25519 key', { cause: error });
  if (isNoiseError(error, 'MALFORMED') || isNoiseError(error, 'TOO_LONG')) return new ChannelError('PROTOCOL', error.message, { cause: error });
  throw error;
}
