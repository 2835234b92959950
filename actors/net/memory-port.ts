import { FramePortBase } from './frame-port-base.ts';
import { CLOSE_CODE } from './frame-port.ts';

/**
 * Two FramePorts joined in memory, for tests and in-process peers: what one sends the other
 * receives, on a later microtask, as a copy (as from a socket). `dialer` starts connecting and opens
 * asynchronously, like a socket being dialed; `acceptor` is open from the start, like a socket a
 * server has just accepted.
 */
export interface MemoryPortPair {
  readonly dialer: MemoryPort;
  readonly acceptor: MemoryPort;
  /** Drops the link without a close frame: both ends close with 1006, as when a network fails. */
  sever(): void;
}

export class MemoryPort extends FramePortBase {
  peer: MemoryPort | undefined;

  constructor(initial: 'connecting' | 'open') {
    super(initial);
  }

  protected transmit(bytes: Uint8Array): void {
    const copy = bytes.slice();
    const peer = this.peer!;
    queueMicrotask(() => peer.deliver(copy));
  }

  protected shutdown(code: number, reason: string): void {
    const peer = this.peer!;
    // The close travels behind every message already sent; then the closer hears the echo.
    queueMicrotask(() => {
      peer.end({ code, reason });
      this.end({ code, reason });
    });
  }

  deliver(bytes: Uint8Array): void {
    if (this.state === 'open') this.received(bytes);
  }

  open(): void {
    this.opened();
  }

  end(close: { code: number; reason: string }): void {
    this.finished(close);
  }
}

export function memoryPortPair(): MemoryPortPair {
  const dialer = new MemoryPort('connecting');
  const acceptor = new MemoryPort('open');
  dialer.peer = acceptor;
  acceptor.peer = dialer;
  queueMicrotask(() => dialer.open());
  return {
    dialer,
    acceptor,
    sever: () => {
      for (const port of [dialer, acceptor]) port.end({ code: CLOSE_CODE.abnormal, reason: '' });
    },
  };
}
