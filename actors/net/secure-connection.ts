import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { ChannelError, type ChannelErrorCode } from './channel-error.ts';
import { CLOSE_CODE, type FramePort, type FramePortClose } from './frame-port.ts';
import type { LocalInstance, PeerIdentity } from './identity-proof.ts';
import { HANDSHAKE_TIMEOUT_MS, SecureChannel, type ChannelEvent } from './secure-channel.ts';
import { MAX_BODY_BYTES } from './transport-frames.ts';

/**
 * A secure channel over a FramePort (specs/handshake.md §7–8 and "Sockets"): the glue that moves
 * the channel's bytes to and from the socket, ends the channel when the socket closes, drives its
 * deadlines with a timer, and closes the socket — with a code and a reason — once the channel has
 * said goodbye or failed. What it offers above is what the connection machine's `link` actor and
 * the pairing and CHUM sessions use: the peer once established, data messages, and why it closed.
 */

/**
 * What this side makes of an authenticated peer: a known `contact`; a stranger admitted to `pairing`
 * (an invitation is pending); or refused — false, or the reason told to it.
 */
export type Admission = 'contact' | 'pairing' | false | string;

export interface ConnectionClock {
  /** Milliseconds on a monotonic clock (the channel's `now`). */
  now(): number;
  /** Calls `callback` after `delayMs`; returns the cancellation. */
  schedule(callback: () => void, delayMs: number): () => void;
}

export const systemClock: ConnectionClock = {
  now: () => performance.now(),
  schedule: (callback, delayMs) => {
    const timer = setTimeout(callback, delayMs);
    return () => clearTimeout(timer);
  },
};

export interface SecureConnectionOptions {
  readonly crypto: CryptoProvider;
  readonly identity: LocalInstance;
  /** Decides on the peer the handshake authenticated (specs/handshake.md §4.3 for what to check). */
  readonly admit: (peer: PeerIdentity) => Admission | Promise<Admission>;
  /**
   * Gives up on a handshake sooner than the channel's own 10 s (never later), counted from the
   * dial or the accept: the listener's way to shed clients that stall.
   */
  readonly handshakeTimeoutMs?: number;
  readonly clock?: ConnectionClock;
}

/**
 * Why a connection ended: a ChannelError code (specs/handshake.md §6) when the channel failed;
 * GOODBYE when the peer said goodbye (`message` is its reason); LOCAL when this side closed it;
 * CONNECT_FAILED when the socket never opened.
 */
export type CloseCode = ChannelErrorCode | 'GOODBYE' | 'LOCAL' | 'CONNECT_FAILED';

export interface CloseReason {
  readonly code: CloseCode;
  readonly message: string;
}

export interface Established {
  readonly peer: PeerIdentity;
  /** False for a stranger admitted to pairing. */
  readonly contact: boolean;
  readonly handshakeHash: Uint8Array;
}

export interface SecureConnectionEvents {
  established: (established: Established) => void;
  data: (body: Uint8Array) => void;
  closed: (reason: CloseReason) => void;
}

export type SecureConnectionState = 'connecting' | 'handshaking' | 'open' | 'closed';

/**
 * Data held while nobody reads it — between the handshake and the pairing or CHUM session taking
 * over, or between the two: two maximal messages. A peer that sends more before anyone listens is
 * not following any protocol above the channel.
 */
export const MAX_UNREAD_BYTES = 2 * MAX_BODY_BYTES;

type Listeners = { [K in keyof SecureConnectionEvents]: Set<SecureConnectionEvents[K]> };

export class SecureConnection {
  /** Dials: the handshake starts as soon as `port` is open. */
  static dial(port: FramePort, options: SecureConnectionOptions): SecureConnection {
    return new SecureConnection(port, options, 'initiator');
  }

  /** Answers a socket the listener accepted. */
  static accept(port: FramePort, options: SecureConnectionOptions): SecureConnection {
    return new SecureConnection(port, options, 'responder');
  }

  readonly #port: FramePort;
  readonly #options: SecureConnectionOptions;
  readonly #clock: ConnectionClock;
  readonly #handshakeTimeoutMs: number;
  readonly #handshakeDeadline: number;
  readonly #listeners: Listeners = { established: new Set(), data: new Set(), closed: new Set() };
  #state: SecureConnectionState = 'connecting';
  #channel: SecureChannel | undefined;
  #contact = false;
  #established: Established | undefined;
  #closeReason: CloseReason | undefined;
  #unread: Uint8Array[] = [];
  #unreadBytes = 0;
  #flushScheduled = false;
  #timer: { at: number; cancel: () => void } | undefined;
  #socketError: Error | undefined;
  #lastSocketClose: FramePortClose | undefined;

  private constructor(port: FramePort, options: SecureConnectionOptions, role: 'initiator' | 'responder') {
    this.#port = port;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#handshakeTimeoutMs = Math.min(options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS, HANDSHAKE_TIMEOUT_MS);
    this.#handshakeDeadline = this.#clock.now() + this.#handshakeTimeoutMs;
    port.on('message', (bytes) => {
      this.#channel?.receive(bytes);
      this.#arm();
    });
    port.on('error', (error) => (this.#socketError ??= error));
    port.on('close', (close) => this.#socketClosed(close));
    if (role === 'responder' || port.state === 'open') this.#start(role);
    else port.on('open', () => this.#start(role));
    this.#arm();
  }

  get state(): SecureConnectionState {
    return this.#state;
  }

  get peer(): PeerIdentity | undefined {
    return this.#established?.peer;
  }

  get closeReason(): CloseReason | undefined {
    return this.#closeReason;
  }

  /**
   * Adds a listener; returns its removal. `established` and `closed` happen once: a listener added
   * after one is called at once (async). Data that arrived while nobody listened is delivered to the
   * first `data` listener, in order.
   */
  on<K extends keyof SecureConnectionEvents>(type: K, listener: SecureConnectionEvents[K]): () => void {
    const listeners = this.#listeners[type] as Set<SecureConnectionEvents[K]>;
    listeners.add(listener);
    const established = this.#established;
    const reason = this.#closeReason;
    if (type === 'established' && established) queueMicrotask(() => (listener as SecureConnectionEvents['established'])(established));
    if (type === 'closed' && reason) queueMicrotask(() => (listener as SecureConnectionEvents['closed'])(reason));
    if (type === 'data' && this.#unread.length > 0) this.#scheduleFlush();
    return () => listeners.delete(listener);
  }

  /** Sends one data message; throws a ChannelError before the handshake, after the close, or over 2 MiB. */
  send(body: Uint8Array): void {
    if (!this.#channel) throw new ChannelError('PROTOCOL', 'send before the handshake completed');
    this.#channel.send(body);
  }

  /** Says goodbye (once open), closes the socket with `code` and `reason`; `closed` reports LOCAL. */
  close(reason = 'closed', code: number = CLOSE_CODE.normal): void {
    if (this.#state === 'closed') return;
    this.#channel?.goodbye(reason);
    this.#finish({ code: 'LOCAL', message: reason }, code, reason);
  }

  #start(role: 'initiator' | 'responder'): void {
    if (this.#state !== 'connecting') return;
    this.#state = 'handshaking';
    const options = {
      crypto: this.#options.crypto,
      identity: this.#options.identity,
      authorize: (peer: PeerIdentity) => this.#authorize(peer),
      output: (bytes: Uint8Array) => this.#port.send(bytes),
      onEvent: (event: ChannelEvent) => this.#onChannelEvent(event),
      now: this.#clock.now,
    };
    this.#channel = role === 'initiator' ? SecureChannel.initiate(options) : SecureChannel.respond(options);
  }

  async #authorize(peer: PeerIdentity): Promise<boolean | string> {
    const admission = await this.#options.admit(peer);
    if (admission !== 'contact' && admission !== 'pairing') return admission;
    this.#contact = admission === 'contact';
    return true;
  }

  #onChannelEvent(event: ChannelEvent): void {
    switch (event.type) {
      case 'established':
        this.#state = 'open';
        this.#established = { peer: event.peer, contact: this.#contact, handshakeHash: event.handshakeHash };
        for (const listener of [...this.#listeners.established]) listener(this.#established);
        return;
      case 'data':
        this.#deliver(event.body);
        return;
      case 'goodbye':
        this.#finish({ code: 'GOODBYE', message: event.reason }, CLOSE_CODE.normal, 'goodbye');
        return;
      case 'error': {
        const { code, message } = event.error;
        const reason = { code, message: code === 'CLOSED' || code === 'TRUNCATED' ? `${message}${this.#socketDetail()}` : message };
        this.#finish(reason, CLOSE_CODE.channelError, `${code}: ${message}`);
        return;
      }
      default:
        return; // handshake progress and heartbeats change nothing here
    }
  }

  #deliver(body: Uint8Array): void {
    if (this.#listeners.data.size > 0 && this.#unread.length === 0) {
      for (const listener of [...this.#listeners.data]) listener(body);
      return;
    }
    this.#unread.push(body);
    this.#unreadBytes += body.length;
    if (this.#listeners.data.size > 0) this.#scheduleFlush();
    else if (this.#unreadBytes > MAX_UNREAD_BYTES) {
      const message = `over ${MAX_UNREAD_BYTES} bytes of data arrived before anyone read them`;
      this.#channel?.goodbye(`OVERSIZED: ${message}`);
      this.#finish({ code: 'OVERSIZED', message }, CLOSE_CODE.channelError, `OVERSIZED: ${message}`);
    }
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      while (this.#unread.length > 0 && this.#listeners.data.size > 0) {
        const body = this.#unread.shift()!;
        this.#unreadBytes -= body.length;
        for (const listener of [...this.#listeners.data]) listener(body);
      }
    });
  }

  #socketClosed(close: FramePortClose): void {
    this.#lastSocketClose = close;
    if (this.#state === 'closed') return;
    if (!this.#channel) {
      const why = this.#socketError?.message ?? `the socket closed (${close.code}${close.reason ? ` ${close.reason}` : ''})`;
      this.#finish({ code: 'CONNECT_FAILED', message: `could not connect: ${why}` }, CLOSE_CODE.normal, '');
      return;
    }
    this.#channel.end();
  }

  /** What the socket said as it closed: the peer's close code and reason often say why. */
  #socketDetail(): string {
    const close = this.#lastSocketClose;
    if (!close) return '';
    const parts = [`${close.code}`, close.reason, this.#socketError?.message].filter(Boolean);
    return ` (socket closed: ${parts.join(' ')})`;
  }

  /** Keeps one timer at the earliest deadline: the handshake's, or the channel's next heartbeat or timeout. */
  #arm(): void {
    if (this.#state === 'closed') return;
    const deadlines = [this.#channel?.nextDeadline(), this.#state === 'open' ? undefined : this.#handshakeDeadline].filter((at): at is number => at !== undefined);
    if (deadlines.length === 0) return;
    const at = Math.min(...deadlines);
    // Deadlines only move later as frames flow; a timer that wakes early finds nothing due and re-arms.
    if (this.#timer && this.#timer.at <= at) return;
    this.#timer?.cancel();
    this.#timer = { at, cancel: this.#clock.schedule(() => this.#wake(), Math.max(0, at - this.#clock.now())) };
  }

  #wake(): void {
    this.#timer = undefined;
    if (this.#state === 'closed') return;
    if (this.#state !== 'open' && this.#clock.now() >= this.#handshakeDeadline) {
      const message = `no secure channel ${this.#handshakeTimeoutMs} ms after the socket was ${this.#channel?.role === 'responder' ? 'accepted' : 'dialed'}`;
      this.#channel?.goodbye('');
      this.#finish({ code: 'HANDSHAKE_TIMEOUT', message }, CLOSE_CODE.channelError, `HANDSHAKE_TIMEOUT: ${message}`);
      return;
    }
    this.#channel?.tick();
    this.#arm();
  }

  #finish(reason: CloseReason, wireCode: number, wireReason: string): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#closeReason = reason;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#port.close(wireCode, wireReason);
    for (const listener of [...this.#listeners.closed]) listener(reason);
  }
}
