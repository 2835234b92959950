import { afterEach, describe, expect, it } from 'vitest';
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { parseWorkerMessage, type HostMessage, type WorkerMessage } from './protocol.ts';
import type { WorkerExit, WorkerHandle } from './worker-handle.ts';

/**
 * The acceptance suite every WorkerHandle adapter passes (STYLE.md §4), run against a crypto
 * worker: `open()` starts one (a thread, a process or the in-process fake). `crypto` checks the
 * answers. `transfers` says whether the adapter moves buffers (threads, in-process) or copies them
 * (processes).
 */
export function runWorkerHandleTests(title: string, open: () => WorkerHandle, options: { crypto: CryptoProvider; transfers: boolean }): void {
  const { crypto } = options;
  const secretKey = crypto.ed25519.generateSecretKey();
  const publicKey = crypto.ed25519.publicKey(secretKey);
  const bytes = (text: string) => new TextEncoder().encode(text);

  describe(`WorkerHandle: ${title}`, () => {
    let worker: Started | undefined;
    afterEach(async () => {
      await worker?.handle.terminate();
      worker = undefined;
    });
    const start = () => (worker = new Started(open()));
    const requests = (ops: string[], payloads: unknown[], firstId = 1): HostMessage => ({
      type: 'requests',
      kind: 'crypto',
      ids: ops.map((_, i) => firstId + i),
      ops,
      payloads,
    });

    it('announces ready with its kind and ops', async () => {
      const w = start();
      expect(await w.next()).toEqual({ type: 'ready', kind: 'crypto', ops: ['sign', 'signBatch', 'verifyBatch', 'sealBatch', 'openBatch'] });
    });

    it('answers a chunk of requests with one message, by id', async () => {
      const w = start();
      await w.next();
      w.handle.post(requests(['sign', 'sign'], [{ secretKey, message: bytes('a') }, { secretKey, message: bytes('b') }], 7), []);
      const answer = await w.next();
      expect(answer).toMatchObject({ type: 'outcomes', ids: [7, 8], failures: [] });
      const [a, b] = (answer as Extract<WorkerMessage, { type: 'outcomes' }>).results as Uint8Array[];
      expect(crypto.ed25519.verify(publicKey, bytes('a'), a!)).toBe(true);
      expect(crypto.ed25519.verify(publicKey, bytes('b'), b!)).toBe(true);
    });

    it('fails only the requests that fail, with a typed error, and stays up', async () => {
      const w = start();
      await w.next();
      w.handle.post(
        requests(['sign', 'sign', 'launch', 'sign'], [{ secretKey: new Uint8Array(3), message: bytes('x') }, { secretKey, message: 'text' }, {}, { secretKey, message: bytes('ok') }]),
        [],
      );
      const answer = (await w.next()) as Extract<WorkerMessage, { type: 'outcomes' }>;
      expect(answer.failures).toEqual([
        { index: 0, error: { code: 'TASK_FAILED', message: expect.stringContaining('crypto.sign'), detail: { name: 'CryptoError', code: 'BAD_KEY_LENGTH' } } },
        { index: 1, error: { code: 'BAD_REQUEST', message: 'crypto.sign: message must be a Uint8Array' } },
        { index: 2, error: { code: 'BAD_REQUEST', message: expect.stringContaining('crypto.launch') } },
      ]);
      expect(crypto.ed25519.verify(publicKey, bytes('ok'), answer.results[3] as Uint8Array)).toBe(true);
    });

    it(options.transfers ? 'moves transferred buffers instead of copying them' : 'copies buffers listed for transfer (a process cannot take them)', async () => {
      const w = start();
      await w.next();
      const messages = [bytes('one'), bytes('two')];
      w.handle.post(requests(['signBatch'], [{ secretKey, messages }]), messages.map((m) => m.buffer as ArrayBuffer));
      expect(messages[0]!.byteLength).toBe(options.transfers ? 0 : 3);
      const answer = (await w.next()) as Extract<WorkerMessage, { type: 'outcomes' }>;
      const signatures = answer.results[0] as Uint8Array[];
      expect(signatures.map((s, i) => crypto.ed25519.verify(publicKey, bytes(['one', 'two'][i]!), s))).toEqual([true, true]);
    });

    it('refuses a message that cannot be cloned, sending nothing, and keeps working', async () => {
      const w = start();
      await w.next();
      expect(() => w.handle.post(requests(['sign'], [{ secretKey, message: () => 'no' }]), [])).toThrow();
      w.handle.post(requests(['sign'], [{ secretKey, message: bytes('after') }], 2), []);
      expect(await w.next()).toMatchObject({ type: 'outcomes', ids: [2] });
    });

    it('ends with a non-terminated exit when the host breaks the protocol', async () => {
      const w = start();
      await w.next();
      w.handle.post({ type: 'gibberish' } as unknown as HostMessage, []);
      expect((await w.exit).reason).not.toBe('terminated');
    });

    it('terminates: exit reported once as terminated, later posts do nothing', async () => {
      const w = start();
      await w.next();
      const exits: WorkerExit[] = [];
      w.handle.onExit((exit) => exits.push(exit));
      await w.handle.terminate();
      expect(exits).toEqual([{ reason: 'terminated', message: expect.any(String) }]);
      expect(() => w.handle.post(requests(['sign'], [{ secretKey, message: bytes('late') }]), [])).not.toThrow();
      await w.handle.terminate(); // idempotent
      expect(exits).toHaveLength(1);
    });
  });
}

/** A started handle with its messages as a queue. */
class Started {
  readonly #messages: unknown[] = [];
  readonly #waiting: Array<(message: unknown) => void> = [];
  readonly exit: Promise<WorkerExit>;

  constructor(readonly handle: WorkerHandle) {
    handle.onMessage((message) => {
      const waiter = this.#waiting.shift();
      if (waiter) waiter(message);
      else this.#messages.push(message);
    });
    this.exit = new Promise((resolve) => handle.onExit(resolve));
  }

  /** The next message, checked against the protocol. */
  async next(): Promise<WorkerMessage> {
    const raw = this.#messages.length > 0 ? this.#messages.shift() : await new Promise((resolve) => this.#waiting.push(resolve));
    return parseWorkerMessage(raw);
  }
}
