import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import type { FramePort } from './frame-port.ts';
import type { LocalInstance } from './identity-proof.ts';
import { SecureChannel, type Authorize, type ChannelEvent } from './secure-channel.ts';
import type { CloseReason, ConnectionClock, Established, SecureConnection } from './secure-connection.ts';

/** Test helpers for secure connections: a hand-driven clock, a misbehaving peer, and waits on events. */

/** A clock whose timers fire only when a test advances it. */
export class ManualClock implements ConnectionClock {
  time = 1_000;
  readonly #timers = new Set<{ at: number; callback: () => void }>();

  readonly now = (): number => this.time;

  readonly schedule = (callback: () => void, delayMs: number): (() => void) => {
    const timer = { at: this.time + delayMs, callback };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  };

  /** Moves time forward, firing due timers in order, each at its own time. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = [...this.#timers].filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#timers.delete(due);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = target;
  }
}

/**
 * A peer that runs its own SecureChannel straight over a port, with a hook on everything it writes:
 * how tests play a client that tampers, replays, truncates or stalls. It never ticks, so it sends
 * no heartbeats; every message it wrote is kept in `written`.
 */
export interface RawPeer {
  readonly channel: SecureChannel;
  readonly events: ChannelEvent[];
  readonly written: Uint8Array[];
  /** Rewrites the next messages the channel outputs: return what goes on the wire instead, or nothing to drop it. */
  alter: ((bytes: Uint8Array) => Uint8Array | undefined) | undefined;
}

export function rawInitiator(port: FramePort, options: { crypto: CryptoProvider; identity: LocalInstance; authorize: Authorize }): RawPeer {
  let channel: SecureChannel | undefined;
  const peer: RawPeer = {
    alter: undefined,
    events: [],
    written: [],
    get channel() {
      if (!channel) throw new Error('the raw peer has not connected yet');
      return channel;
    },
  };
  const start = () => {
    channel = SecureChannel.initiate({
      ...options,
      output: (bytes) => {
        const wire = peer.alter ? peer.alter(bytes) : bytes;
        if (!wire) return;
        peer.written.push(wire);
        port.send(wire);
      },
      onEvent: (event) => peer.events.push(event),
    });
  };
  if (port.state === 'open') start();
  else port.on('open', start);
  port.on('message', (bytes) => channel?.receive(bytes));
  port.on('close', () => channel?.end());
  return peer;
}

/** Resolves with the first value `read` returns (polled on the event loop, for at most `timeoutMs`). */
export async function eventually<T>(read: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function establishedOf(connection: SecureConnection): Promise<Established> {
  return new Promise((resolve, reject) => {
    connection.on('established', resolve);
    connection.on('closed', (reason) => reject(new Error(`closed before established: ${reason.code}: ${reason.message}`)));
  });
}

export function closedOf(connection: SecureConnection): Promise<CloseReason> {
  return new Promise((resolve) => connection.on('closed', resolve));
}

export function dataOf(connection: SecureConnection): string[] {
  const received: string[] = [];
  connection.on('data', (body) => received.push(new TextDecoder().decode(body)));
  return received;
}
