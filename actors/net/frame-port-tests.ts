import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODE, MAX_CLOSE_REASON_BYTES, type FramePort, type FramePortClose } from './frame-port.ts';

/**
 * The FramePort contract (frame-port.ts) as one acceptance suite that every adapter passes — the
 * in-memory pair, the `ws` server with Node's client, and the shared WebSocket adapter as the
 * browser drives it. `setup` gives a freshly dialed port and the port the other side accepted for
 * it, with nobody listening to either yet.
 */
export interface FramePortFixture {
  readonly dialer: FramePort;
  readonly acceptor: FramePort;
  teardown(): Promise<void>;
}

export function runFramePortTests(setup: () => Promise<FramePortFixture>, title: string): void {
  describe(`FramePort contract (${title})`, () => {
    let fixture: FramePortFixture | undefined;
    afterEach(async () => {
      await fixture?.teardown();
      fixture = undefined;
    });

    async function openPair(): Promise<FramePortFixture> {
      fixture = await setup();
      await opened(fixture.dialer);
      expect(fixture.acceptor.state).toBe('open');
      return fixture;
    }

    it('opens: a connecting dialer emits open once, then both ends can send', async () => {
      fixture = await setup();
      const wasConnecting = fixture.dialer.state === 'connecting';
      let opens = 0;
      fixture.dialer.on('open', () => opens++);
      await opened(fixture.dialer);
      await pause(20);
      expect(opens).toBe(wasConnecting ? 1 : 0);
      expect([fixture.dialer.state, fixture.acceptor.state]).toEqual(['open', 'open']);
    });

    it('carries binary messages both ways, in order, byte for byte', async () => {
      const { dialer, acceptor } = await openPair();
      const sizes = [0, 1, 31, 1000, 65_539, 1 << 20];
      const outbound = sizes.map((size, i) => patterned(size, i));
      const inbound = sizes.map((size, i) => patterned(size, 100 + i));
      const atAcceptor = receive(acceptor, outbound.length);
      const atDialer = receive(dialer, inbound.length);
      for (const bytes of outbound) dialer.send(bytes);
      for (const bytes of inbound) acceptor.send(bytes);
      expect((await atAcceptor).map(hex)).toEqual(outbound.map(hex));
      expect((await atDialer).map(hex)).toEqual(inbound.map(hex));
    });

    it('holds messages that arrive before anyone listens, and delivers them in order', async () => {
      const { dialer, acceptor } = await openPair();
      const sent = [1, 2, 3].map((i) => patterned(8, i));
      for (const bytes of sent) dialer.send(bytes);
      await pause(50);
      expect((await receive(acceptor, sent.length)).map(hex)).toEqual(sent.map(hex));
    });

    it('gives each received message its own buffer', async () => {
      const { dialer, acceptor } = await openPair();
      const received = receive(acceptor, 2);
      dialer.send(patterned(64, 1));
      dialer.send(patterned(64, 2));
      const [first, second] = await received;
      expect(hex(first!)).toBe(hex(patterned(64, 1)));
      second!.fill(0);
      expect(hex(first!)).toBe(hex(patterned(64, 1)));
    });

    it.each([
      ['dialer', CLOSE_CODE.channelError, 'TAMPERED: frame 3 does not authenticate'],
      ['acceptor', CLOSE_CODE.normal, 'goodbye'],
    ] as const)('a close by the %s reaches both ends once, with its code and reason', async (closer, code, reason) => {
      const { dialer, acceptor } = await openPair();
      const [closing, other] = closer === 'dialer' ? [dialer, acceptor] : [acceptor, dialer];
      const closes: FramePortClose[] = [];
      for (const port of [closing, other]) port.on('close', (close) => closes.push(close));
      const both = Promise.all([closed(closing), closed(other)]);
      closing.close(code, reason);
      closing.close(CLOSE_CODE.goingAway, 'a second close changes nothing');
      expect(closing.state).toMatch(/closing|closed/);
      expect(await both).toEqual([{ code, reason }, { code, reason }]);
      await pause();
      expect(closes).toHaveLength(2);
      expect([dialer.state, acceptor.state]).toEqual(['closed', 'closed']);
    });

    it('delivers messages sent before a close ahead of it', async () => {
      const { dialer, acceptor } = await openPair();
      const events: string[] = [];
      acceptor.on('message', (bytes) => events.push(`message ${bytes[0]}`));
      acceptor.on('close', ({ code }) => events.push(`close ${code}`));
      for (const i of [1, 2, 3]) dialer.send(patterned(4, i));
      dialer.close(CLOSE_CODE.normal, 'done');
      await closed(acceptor);
      expect(events).toEqual(['message 1', 'message 2', 'message 3', 'close 1000']);
    });

    it('drops a send after the close without throwing, and calls a late close listener', async () => {
      const { dialer, acceptor } = await openPair();
      let late = false;
      acceptor.on('message', () => (late = true));
      dialer.close(CLOSE_CODE.goingAway, 'stopping');
      await closed(dialer);
      expect(() => dialer.send(patterned(4, 9))).not.toThrow();
      expect(await closed(dialer)).toEqual({ code: CLOSE_CODE.goingAway, reason: 'stopping' });
      await pause(20);
      expect(late).toBe(false);
    });

    it('fits a long reason into a close frame', async () => {
      const { dialer, acceptor } = await openPair();
      dialer.close(CLOSE_CODE.channelError, `PROTOCOL: ${'é'.repeat(200)}`);
      const { reason } = await closed(acceptor);
      expect(new TextEncoder().encode(reason).length).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
      expect(reason).toMatch(/^PROTOCOL: é+…$/);
    });

    it('stops calling a listener once it is removed', async () => {
      const { dialer, acceptor } = await openPair();
      const seen: number[] = [];
      const remove = acceptor.on('message', (bytes) => seen.push(bytes[0]!));
      const kept = receive(acceptor, 2);
      dialer.send(patterned(1, 1));
      await pause(20);
      remove();
      dialer.send(patterned(1, 2));
      await kept;
      expect(seen).toEqual([1]);
    });
  });
}

/** Bytes that differ by size and seed, so a swapped or altered message shows. */
export function patterned(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 7) & 0xff;
  if (size > 0) bytes[0] = seed & 0xff;
  return bytes;
}

/** Waits are bounded, so a broken adapter fails with what it was waiting for instead of hanging. */
const WAIT_MS = 5_000;

function bounded<T>(what: string, executor: (resolve: (value: T) => void, reject: (error: Error) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`)), WAIT_MS);
    executor(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export function opened(port: FramePort): Promise<void> {
  if (port.state === 'open') return Promise.resolve();
  return bounded('the port to open', (resolve, reject) => {
    port.on('open', () => resolve());
    port.on('close', (close) => reject(new Error(`closed before opening: ${close.code} ${close.reason}`)));
  });
}

export function closed(port: FramePort): Promise<FramePortClose> {
  return bounded('the port to close', (resolve) => port.on('close', resolve));
}

export function receive(port: FramePort, count: number): Promise<Uint8Array[]> {
  const messages: Uint8Array[] = [];
  return bounded(`${count} messages`, (resolve, reject) => {
    const stop = port.on('message', (bytes) => {
      messages.push(bytes);
      if (messages.length === count) {
        stop();
        resolve(messages);
      }
    });
    port.on('close', (close) => reject(new Error(`closed after ${messages.length} of ${count} messages: ${close.code} ${close.reason}`)));
  });
}

export const pause = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function hex(bytes: Uint8Array): string {
  return `${bytes.length}:${Array.from(bytes.subarray(0, 64), (b) => b.toString(16).padStart(2, '0')).join('')}:${checksum(bytes)}`;
}

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const byte of bytes) sum = (sum * 33 + byte) >>> 0;
  return sum;
}
