/**
 * Heartbeat policy of an open channel (specs/handshake.md §7) as pure arithmetic on times the
 * caller supplies, so tests drive it with a simulated clock and the socket layer with a timer.
 * Each side sends a heartbeat after HEARTBEAT_INTERVAL_MS without sending anything, and gives the
 * peer up after PEER_TIMEOUT_MS without receiving an authentic frame: three missed heartbeats.
 */
export const HEARTBEAT_INTERVAL_MS = 15_000;
export const PEER_TIMEOUT_MS = 3 * HEARTBEAT_INTERVAL_MS;

export type LivenessAction = 'send-heartbeat' | 'peer-timeout';

export class Liveness {
  #lastSent: number;
  #lastReceived: number;

  constructor(now: number) {
    this.#lastSent = now;
    this.#lastReceived = now;
  }

  sent(now: number): void {
    this.#lastSent = now;
  }

  received(now: number): void {
    this.#lastReceived = now;
  }

  /** What is due at `now`; a timed-out peer wins over a heartbeat nobody would hear. */
  due(now: number): LivenessAction | undefined {
    if (now - this.#lastReceived >= PEER_TIMEOUT_MS) return 'peer-timeout';
    if (now - this.#lastSent >= HEARTBEAT_INTERVAL_MS) return 'send-heartbeat';
    return undefined;
  }

  /** When `due` next returns something, unless frames move in between. */
  nextDeadline(): number {
    return Math.min(this.#lastSent + HEARTBEAT_INTERVAL_MS, this.#lastReceived + PEER_TIMEOUT_MS);
  }
}
