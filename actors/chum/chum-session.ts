import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { ChumError, chumErrorOf } from './chum-error.ts';
import type { ChumPort } from './chum-port.ts';
import { loadCursor, saveCursor, storeIdOf } from './cursors.ts';
import type { FetchPolicy, FetchResult, SyncProgress } from './fetch-policy.ts';
import { Fetcher } from './fetcher.ts';
import { decodeMessage, encodeMessage, MAX_ERROR_TEXT, MAX_MESSAGE_BYTES, PROTOCOL_VERSION, type ItemKind, type Message } from './messages.ts';
import { Offerer } from './offerer.ts';

/**
 * One CHUM session over one connection (specs/chum.md): both sides greet, then each offers the
 * other what it may see and fetches what it lacks of the other's offers; once both initial rounds
 * are handled the session is live and new writes flow as they happen. Any breach of the protocol
 * ends it with a typed error, told to the peer; the host reconnects and the next session resumes
 * from the cursors.
 */
export type ChumSessionState = 'greeting' | 'syncing' | 'live' | 'closed' | 'failed';

export type ChumSessionEvent =
  | { readonly type: 'state'; readonly state: ChumSessionState; readonly reason?: string; readonly error?: ChumError }
  | { readonly type: 'progress'; readonly progress: SyncProgress };

export interface ChumClock {
  /** Calls `callback` after `delayMs`; returns the cancellation. */
  schedule(callback: () => void, delayMs: number): () => void;
}

export const systemTimers: ChumClock = {
  schedule: (callback, delayMs) => {
    const timer = setTimeout(callback, delayMs);
    return () => clearTimeout(timer);
  },
};

/** How long the peer may leave a request (hello, want, offer) unanswered before the session gives up. */
export const STALL_TIMEOUT_MS = 60_000;

export interface ChumSessionOptions {
  readonly store: ObjectStore;
  readonly crypto: CryptoProvider;
  readonly port: ChumPort;
  /** The authenticated peer (from the secure channel): its Person decides what it may see. */
  readonly peer: { readonly personId: SHA256Hash; readonly instanceId: SHA256Hash };
  readonly policy?: FetchPolicy;
  readonly clock?: ChumClock;
  readonly stallTimeoutMs?: number;
}

export class ChumSession {
  static start(options: ChumSessionOptions): ChumSession {
    const session = new ChumSession(options);
    session.#begin();
    return session;
  }

  readonly #options: ChumSessionOptions;
  readonly #listeners = new Set<(event: ChumSessionEvent) => void>();
  readonly #early: Uint8Array[] = [];
  readonly #detach: (() => void)[] = [];
  #state: ChumSessionState = 'greeting';
  #error: ChumError | undefined;
  #storeId = '';
  #peerGreeted = false;
  #ready = false;
  #offerer: Offerer | undefined;
  #fetcher: Fetcher | undefined;
  #sendDone = false;
  #receiveDone = false;
  #stall: (() => void) | undefined;
  #setup: Promise<void> = Promise.resolve();
  #heldCursor: { store: string; seq: number } | undefined;

  private constructor(options: ChumSessionOptions) {
    this.#options = options;
  }

  get state(): ChumSessionState {
    return this.#state;
  }

  get error(): ChumError | undefined {
    return this.#error;
  }

  get progress(): SyncProgress {
    return this.#fetcher?.progress ?? { objectsDone: 0, objectsTotal: 0, bytesDone: 0, bytesTotal: 0 };
  }

  on(listener: (event: ChumSessionEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Fetches objects (or BLOBs) now, ahead of the background: what the user is looking at. */
  async fetch(hashes: readonly SHA256Hash[], kind: ItemKind = 'object'): Promise<FetchResult> {
    await this.#setup;
    if (!this.#fetcher || this.#ended) return { fetched: [], missing: [...hashes] };
    return this.#fetcher.fetch(hashes, kind);
  }

  close(reason = 'closed'): void {
    if (this.#ended) return;
    this.#end('closed', reason);
    this.#options.port.close(reason);
  }

  /** Work is queued or running (tests step the link until neither side is busy). */
  get busy(): boolean {
    return (this.#offerer?.busy ?? false) || (this.#fetcher?.busy ?? false);
  }

  /** Resolves once everything received so far has been handled (tests step the link with it). */
  async idle(): Promise<void> {
    await this.#setup;
    // A task of one half may queue work on the other (a stored object is offered back): settle both.
    do await Promise.all([this.#offerer?.idle(), this.#fetcher?.idle()]);
    while (this.#offerer?.busy || this.#fetcher?.busy);
  }

  get #ended(): boolean {
    return this.#state === 'closed' || this.#state === 'failed';
  }

  #begin(): void {
    const { port, store, peer } = this.#options;
    this.#detach.push(
      port.onMessage((body) => (this.#ready ? this.#dispatch(body) : this.#early.push(body))),
      port.onClose((reason) => this.#end('closed', reason)),
    );
    this.#armStall();
    this.#setup = (async () => {
      const [storeId, held] = await Promise.all([storeIdOf(store), loadCursor(store, peer.instanceId)]);
      if (this.#ended) return;
      this.#storeId = storeId;
      this.#send({ t: 'hello', v: PROTOCOL_VERSION, store: storeId, ...(held ? { cursor: held } : {}) });
      this.#heldCursor = held;
      this.#ready = true;
      for (const body of this.#early.splice(0)) this.#dispatch(body);
    })().catch((error: unknown) => this.#fail(error));
  }

  #dispatch(body: Uint8Array): void {
    if (this.#ended) return;
    try {
      const message = decodeMessage(body);
      if (message.t === 'error') throw new ChumError('REMOTE', `the peer failed: ${message.code}: ${message.message}`);
      if (!this.#peerGreeted) {
        if (message.t !== 'hello') throw new ChumError('PROTOCOL', `${message.t} before hello`);
        this.#greet(message);
      } else {
        switch (message.t) {
          case 'hello':
            throw new ChumError('PROTOCOL', 'a second hello');
          case 'offer':
          case 'synced':
          case 'objects':
          case 'chunk':
            this.#fetcher!.receive(message);
            break;
          case 'ack':
            this.#offerer!.ack(message.n);
            break;
          case 'want':
          case 'wantChunk':
            this.#offerer!.want(message);
            break;
        }
      }
      this.#armStall(true);
    } catch (error) {
      this.#fail(error);
    }
  }

  #greet(hello: Extract<Message, { t: 'hello' }>): void {
    if (hello.v !== PROTOCOL_VERSION) throw new ChumError('VERSION', `the peer speaks CHUM version ${hello.v}; this side speaks ${PROTOCOL_VERSION}`);
    this.#peerGreeted = true;
    const { store, crypto, peer, policy } = this.#options;
    const peerStore = hello.store;
    const onError = (error: unknown) => this.#fail(error);
    this.#fetcher = new Fetcher({
      store,
      crypto,
      send: (message) => this.#send(message),
      onError,
      onProgress: () => this.#emit({ type: 'progress', progress: this.#fetcher!.progress }),
      onInitialDone: () => this.#initialDone('receive'),
      saveCursor: (seq) => saveCursor(store, peer.instanceId, { store: peerStore, seq }),
      cursor: this.#heldCursor?.store === peerStore ? this.#heldCursor.seq : 0,
      ...(policy ? { policy } : {}),
    });
    this.#offerer = new Offerer({
      store,
      hasher: crypto,
      peerPerson: peer.personId,
      send: (message) => this.#send(message),
      onError,
      onInitialDone: () => this.#initialDone('send'),
      peerHas: (hash) => this.#fetcher!.offeredByPeer.has(hash),
    });
    this.#offerer.start(hello.cursor?.store === this.#storeId ? hello.cursor.seq : 0);
    this.#setState('syncing');
  }

  #initialDone(direction: 'send' | 'receive'): void {
    if (direction === 'send') this.#sendDone = true;
    else this.#receiveDone = true;
    if (this.#sendDone && this.#receiveDone && this.#state === 'syncing') this.#setState('live');
  }

  #send(message: Message): void {
    if (this.#ended) return;
    const body = encodeMessage(message);
    if (body.byteLength > MAX_MESSAGE_BYTES) throw new ChumError('OVERSIZED', `a ${message.t} of ${body.byteLength} bytes`);
    this.#options.port.send(body);
    this.#armStall();
  }

  /** Waiting on the peer: greeting, wants unanswered or offers unacknowledged. */
  get #waiting(): boolean {
    return this.#state === 'greeting' || (this.#fetcher?.outstanding ?? 0) > 0 || (this.#offerer?.unacknowledged ?? 0) > 0;
  }

  /** Keeps one timer while we wait on the peer; hearing from it starts the wait anew. */
  #armStall(heard = false): void {
    if (this.#ended || !this.#waiting) {
      this.#stall?.();
      this.#stall = undefined;
      return;
    }
    if (this.#stall && !heard) return;
    this.#stall?.();
    const ms = this.#options.stallTimeoutMs ?? STALL_TIMEOUT_MS;
    this.#stall = (this.#options.clock ?? systemTimers).schedule(() => {
      this.#stall = undefined;
      if (this.#waiting) this.#fail(new ChumError('TIMEOUT', `nothing heard from the peer for ${ms} ms while waiting on it`));
    }, ms);
  }

  #fail(error: unknown): void {
    if (this.#ended) return;
    const failure = chumErrorOf(error);
    if (failure.code !== 'REMOTE') this.#send({ t: 'error', code: failure.code, message: failure.message.slice(0, MAX_ERROR_TEXT) });
    this.#end('failed', failure.message, failure);
    this.#options.port.close(`${failure.code}: ${failure.message}`.slice(0, 120));
  }

  #end(state: 'closed' | 'failed', reason: string, error?: ChumError): void {
    if (this.#ended) return;
    this.#stall?.();
    this.#stall = undefined;
    this.#offerer?.stop();
    this.#fetcher?.abort();
    for (const detach of this.#detach.splice(0)) detach();
    this.#error = error;
    this.#state = state;
    this.#emit({ type: 'state', state, reason, ...(error ? { error } : {}) });
  }

  #setState(state: ChumSessionState): void {
    this.#state = state;
    this.#emit({ type: 'state', state });
  }

  #emit(event: ChumSessionEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }
}
