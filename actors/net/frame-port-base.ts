import { CLOSE_CODE, fitCloseReason, type FramePort, type FramePortClose, type FramePortEvents, type FramePortState } from './frame-port.ts';

type Listeners = { [K in keyof FramePortEvents]: Set<FramePortEvents[K]> };

/**
 * The FramePort contract (frame-port.ts) kept in one place: state, listeners, messages held until
 * someone listens, a close reported once. An adapter supplies `transmit` and `shutdown` and reports
 * what its transport does through `opened`, `received`, `failed` and `finished`.
 */
export abstract class FramePortBase implements FramePort {
  #state: FramePortState;
  readonly #listeners: Listeners = { open: new Set(), message: new Set(), error: new Set(), close: new Set() };
  /** Messages that arrived with no listener, or while earlier ones still wait to be delivered. */
  #held: Uint8Array[] = [];
  #flushScheduled = false;
  #closed: FramePortClose | undefined;

  protected constructor(initial: 'connecting' | 'open') {
    this.#state = initial;
  }

  get state(): FramePortState {
    return this.#state;
  }

  on<K extends keyof FramePortEvents>(type: K, listener: FramePortEvents[K]): () => void {
    const listeners = this.#listeners[type] as Set<FramePortEvents[K]>;
    listeners.add(listener);
    if (type === 'message' && this.#held.length > 0) this.#scheduleFlush();
    const closed = this.#closed;
    if (type === 'close' && closed) queueMicrotask(() => (listener as FramePortEvents['close'])(closed));
    return () => listeners.delete(listener);
  }

  send(bytes: Uint8Array): void {
    if (this.#state === 'open') this.transmit(bytes);
  }

  close(code: number = CLOSE_CODE.normal, reason = ''): void {
    if (this.#state === 'closing' || this.#state === 'closed') return;
    this.#state = 'closing';
    this.shutdown(code, fitCloseReason(reason));
  }

  /** Writes one message to the transport (only called while open). */
  protected abstract transmit(bytes: Uint8Array): void;
  /** Starts closing the transport with this code and (fitted) reason; it reports `finished` when done. */
  protected abstract shutdown(code: number, reason: string): void;

  protected opened(): void {
    if (this.#state !== 'connecting') return;
    this.#state = 'open';
    for (const listener of [...this.#listeners.open]) listener();
  }

  protected received(bytes: Uint8Array): void {
    if (this.#state === 'closed') return;
    if (this.#listeners.message.size === 0 || this.#held.length > 0) {
      this.#held.push(bytes);
      if (this.#listeners.message.size > 0) this.#scheduleFlush();
      return;
    }
    for (const listener of [...this.#listeners.message]) listener(bytes);
  }

  protected failed(error: Error): void {
    if (this.#state === 'closed') return;
    for (const listener of [...this.#listeners.error]) listener(error);
  }

  protected finished(close: FramePortClose): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#closed = close;
    // Messages still waiting for their flush come first: they arrived before the close.
    if (this.#held.length > 0 && this.#listeners.message.size > 0) {
      queueMicrotask(() => this.#emitClose(close));
      return;
    }
    this.#emitClose(close);
  }

  #emitClose(close: FramePortClose): void {
    for (const listener of [...this.#listeners.close]) listener(close);
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      while (this.#held.length > 0 && this.#listeners.message.size > 0) {
        const bytes = this.#held.shift()!;
        for (const listener of [...this.#listeners.message]) listener(bytes);
      }
    });
  }
}
