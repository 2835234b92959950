import type { ChumPort } from './chum-port.ts';

/**
 * Two ChumPorts joined in memory, for tests: every frame either side sends is logged, and what
 * happens to it is up to the test — delivered in order on a microtask (`auto`), or held until the
 * test delivers it, in any order, dropped or twice (`manual`, with a `fault` rule). A close travels
 * behind the frames sent before it, like a goodbye; `cut` ends the link at once, losing what is in
 * transit, like a network failure.
 */
export type Side = 'a' | 'b';
export type FrameFate = 'deliver' | 'drop' | 'duplicate';

export interface Frame {
  readonly from: Side;
  /** 0, 1, … per sender. */
  readonly index: number;
  /** Undefined for the close that travels behind the data. */
  readonly body?: Uint8Array;
  readonly reason?: string;
}

export interface MemoryLinkOptions {
  readonly manual?: boolean;
  /** Decides each data frame's fate as it is sent (default: deliver). */
  readonly fault?: (frame: Frame) => FrameFate;
}

export class MemoryLink {
  readonly a: ChumPort;
  readonly b: ChumPort;
  readonly sent: Record<Side, Uint8Array[]> = { a: [], b: [] };
  readonly inTransit: Frame[] = [];
  readonly #options: MemoryLinkOptions;
  readonly #messageListeners: Record<Side, Set<(body: Uint8Array) => void>> = { a: new Set(), b: new Set() };
  readonly #closeListeners: Record<Side, Set<(reason: string) => void>> = { a: new Set(), b: new Set() };
  #closing = false;
  #closed: string | undefined;

  constructor(options: MemoryLinkOptions = {}) {
    this.#options = options;
    this.a = this.#port('a');
    this.b = this.#port('b');
  }

  /** Why the link ended, once it has. */
  get closed(): string | undefined {
    return this.#closed;
  }

  /** Delivers the frame at `index` of those in transit; false when none is. */
  deliver(index = 0): boolean {
    const [frame] = this.inTransit.splice(index, 1);
    if (!frame) return false;
    this.#arrive(frame);
    return true;
  }

  /** Ends the link now: frames in transit are lost and both ends hear `reason`. */
  cut(reason = 'link cut'): void {
    this.inTransit.length = 0;
    this.#finish(reason);
  }

  #port(side: Side): ChumPort {
    return {
      send: (body) => {
        if (this.#closing || this.#closed !== undefined) return;
        const frame: Frame = { from: side, index: this.sent[side].length, body: body.slice() };
        this.sent[side].push(frame.body!);
        const fate = this.#options.fault?.(frame) ?? 'deliver';
        if (fate === 'drop') return;
        this.#enqueue(frame);
        if (fate === 'duplicate') this.#enqueue(frame);
      },
      onMessage: (listener) => {
        this.#messageListeners[side].add(listener);
        return () => this.#messageListeners[side].delete(listener);
      },
      onClose: (listener) => {
        if (this.#closed !== undefined) {
          const reason = this.#closed;
          queueMicrotask(() => listener(reason));
          return () => undefined;
        }
        this.#closeListeners[side].add(listener);
        return () => this.#closeListeners[side].delete(listener);
      },
      close: (reason = 'closed') => {
        if (this.#closing || this.#closed !== undefined) return;
        this.#closing = true;
        this.#enqueue({ from: side, index: -1, reason });
      },
    };
  }

  #enqueue(frame: Frame): void {
    this.inTransit.push(frame);
    if (this.#options.manual) return;
    queueMicrotask(() => {
      const index = this.inTransit.indexOf(frame);
      if (index >= 0) this.deliver(index);
    });
  }

  #arrive(frame: Frame): void {
    if (this.#closed !== undefined) return;
    if (frame.body === undefined) {
      this.inTransit.length = 0;
      this.#finish(frame.reason ?? 'closed');
      return;
    }
    const to: Side = frame.from === 'a' ? 'b' : 'a';
    for (const listener of [...this.#messageListeners[to]]) listener(frame.body.slice());
  }

  #finish(reason: string): void {
    if (this.#closed !== undefined) return;
    this.#closed = reason;
    for (const side of ['a', 'b'] as const) {
      for (const listener of [...this.#closeListeners[side]]) listener(reason);
      this.#closeListeners[side].clear();
      this.#messageListeners[side].clear();
    }
  }
}
