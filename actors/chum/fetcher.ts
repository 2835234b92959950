import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import type { Signature } from '../identity/identity-recipes.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { Hasher } from '../store/hasher.ts';
import type { ObjectStore, PreparedObject } from '../store/object-store.ts';
import type { LamaObject } from '../store/recipes.ts';
import { ChumError, chumErrorOf } from './chum-error.ts';
import { BlobDownload } from './blob-download.ts';
import { fetchEverything, type FetchPolicy, type FetchResult, type SyncProgress } from './fetch-policy.ts';
import { MAX_WANT_HASHES, OFFER_WINDOW, WANT_WINDOW, type ItemKind, type Message, type MessageOf, type OfferItem } from './messages.ts';
import { SerialQueue } from './serial-queue.ts';
import { checkSignature } from './signature-check.ts';
import { WantBook, type Want } from './want-book.ts';

export interface FetcherOptions {
  readonly store: ObjectStore;
  readonly crypto: Pick<CryptoProvider, 'ed25519'> & Hasher;
  readonly send: (message: Message) => void;
  readonly onError: (error: unknown) => void;
  readonly onProgress: () => void;
  /** Everything the peer offered before `synced` is handled. */
  readonly onInitialDone: () => void;
  /** Persists the cursor for the peer's store; resolves once durable. */
  readonly saveCursor: (seq: number) => Promise<void>;
  /** The cursor held for the peer's store (0 when none, or for another store). */
  readonly cursor: number;
  readonly policy?: FetchPolicy;
}

type InFlight = { readonly w: number; readonly kind: 'objects'; readonly hashes: SHA256Hash[] } | { readonly w: number; readonly kind: 'chunk'; readonly blob: SHA256Hash; readonly i: number };

/**
 * Verified objects are stored together once this many (or this many bytes) have gathered, or when
 * no more are on their way. A bulk sync's inserts land at random places in the hash index and the
 * reverse map, so the fewer transactions, the fewer times the same pages are written (and later
 * checkpointed): per 2,048 objects SQLite spends about a fifth less than per 512, and a third less
 * than per ~160 (what arrives while one write runs). Half the offer window, so offers stay in flight.
 */
const WRITE_BATCH_OBJECTS = 2048;
const WRITE_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * The receiving half of a session (specs/chum.md §6): takes offers, asks the policy, checks what
 * it already has, wants what it lacks (at most WANT_WINDOW wants of MAX_WANT_HASHES outstanding),
 * verifies and stores what comes, fetches the references of what it stored, and acknowledges each
 * offer once all of it is handled — persisting the cursor before it says so.
 */
export class Fetcher {
  readonly #options: FetcherOptions;
  readonly #policy: FetchPolicy;
  readonly #queue: SerialQueue;
  readonly #book = new WantBook();
  readonly #inFlight: InFlight[] = [];
  /** Messages received and not yet handled, in order. */
  readonly #inbox: (MessageOf<'offer'> | MessageOf<'synced'> | MessageOf<'objects'> | MessageOf<'chunk'>)[] = [];
  /** Signatures held until their keys arrive, by keys hash. */
  readonly #parked = new Map<SHA256Hash, { prepared: PreparedObject; want: Want | undefined }[]>();
  /** Verified objects gathered for the next write (their wants stay open until it is done), by hash. */
  #unwritten = new Map<SHA256Hash, PreparedObject>();
  #unwrittenBytes = 0;
  /** Everything the peer offered in this session: it has it. */
  readonly offeredByPeer = new Set<SHA256Hash>();
  #blob: BlobDownload | undefined;
  #received = 0;
  #acked = 0;
  #syncedAt = -1;
  #initialDone = false;
  #cursor: number;
  #nextWant = 1;

  constructor(options: FetcherOptions) {
    this.#options = options;
    this.#policy = options.policy ?? fetchEverything;
    this.#queue = new SerialQueue(options.onError);
    this.#cursor = options.cursor;
  }

  get progress(): SyncProgress {
    return this.#book.progress;
  }

  /** Wants sent and not yet answered. */
  get outstanding(): number {
    return this.#inFlight.length;
  }

  idle(): Promise<void> {
    return this.#queue.idle();
  }

  get busy(): boolean {
    return this.#queue.busy;
  }

  receive(message: MessageOf<'offer'> | MessageOf<'synced'> | MessageOf<'objects'> | MessageOf<'chunk'>): void {
    // Window checks happen in arrival order, before any of the work is queued.
    if (message.t === 'offer' && ++this.#received - this.#acked > OFFER_WINDOW) {
      throw new ChumError('PROTOCOL', `more than ${OFFER_WINDOW} offers unacknowledged`);
    }
    if (message.t === 'synced') {
      if (this.#syncedAt >= 0) throw new ChumError('PROTOCOL', 'a second synced');
      this.#syncedAt = this.#received;
    }
    this.#inbox.push(message);
    if (this.#inbox.length === 1) this.#queue.run(() => this.#drain());
  }

  /**
   * Handles what arrived, in order. Replies of objects that queued up behind one another are
   * stored in one write — one transaction instead of several, the receiver's main cost.
   */
  async #drain(): Promise<void> {
    while (this.#inbox.length > 0) {
      const message = this.#inbox[0]!;
      if (message.t === 'objects') {
        let count = 1;
        while (this.#inbox[count]?.t === 'objects') count++;
        await this.#takeObjects(this.#inbox.slice(0, count) as MessageOf<'objects'>[]);
        this.#inbox.splice(0, count);
      } else {
        if (message.t === 'offer') await this.#takeOffer(message);
        else if (message.t === 'chunk') await this.#takeChunk(message);
        this.#inbox.shift();
      }
      await this.#advance();
      this.#pump();
      this.#options.onProgress();
    }
  }

  /** Fetches now, ahead of the background (what is on screen); resolves when each is stored or refused. */
  fetch(hashes: readonly SHA256Hash[], kind: ItemKind = 'object'): Promise<FetchResult> {
    return new Promise((resolve) => {
      this.#queue.run(async () => {
        const present = await this.#presence(hashes.map((hash) => ({ hash, kind })));
        const result: FetchResult = { fetched: [], missing: [] };
        let waiting = 0;
        const settle = () => {
          if (waiting === 0) resolve(result);
        };
        hashes.forEach((hash, i) => {
          if (present[i]) {
            result.fetched.push(hash);
            return;
          }
          const want = this.#book.want(hash, kind, undefined, true);
          waiting++;
          want.waiters.push((stored) => {
            (stored ? result.fetched : result.missing).push(hash);
            waiting--;
            settle();
          });
        });
        settle();
        this.#pump();
        this.#options.onProgress();
      });
    });
  }

  /** The session ended: a BLOB half written is dropped, and pending fetches learn they got nothing. */
  abort(): void {
    this.#unwritten.clear();
    this.#blob?.abort();
    this.#blob = undefined;
    this.#book.abandon();
  }

  async #takeOffer(offer: MessageOf<'offer'>): Promise<void> {
    const index = this.#book.addOffer(offer.through, offer.round);
    const now: OfferItem[] = [];
    for (const item of offer.items) {
      this.offeredByPeer.add(item.hash);
      if (this.#policy({ ...item, reason: 'offer' }) === 'now') now.push(item);
      else this.#book.handled(item.size);
    }
    const present = await this.#presence(now);
    now.forEach((item, i) => {
      if (present[i]) this.#book.handled(item.size);
      else this.#book.holdFor(this.#book.want(item.hash, item.kind, item.size, false), index, item.size);
    });
  }

  async #takeObjects(replies: readonly MessageOf<'objects'>[]): Promise<void> {
    const sent: { hash: SHA256Hash; bytes: Uint8Array }[] = [];
    const missing: SHA256Hash[] = [];
    const retry: SHA256Hash[] = [];
    for (const reply of replies) {
      const head = this.#takeInFlight(reply.w, 'objects');
      if (reply.o.length > head.hashes.length) throw new ChumError('UNSOLICITED', `${reply.o.length} objects in reply to a want of ${head.hashes.length}`);
      if (reply.o.length === 0) throw new ChumError('PROTOCOL', 'an empty reply to a want');
      reply.o.forEach((bytes, i) => (bytes ? sent.push({ hash: head.hashes[i]!, bytes }) : missing.push(head.hashes[i]!)));
      retry.push(...head.hashes.slice(reply.o.length));
    }
    // Not sent this time (the reply budget): asked for again, first.
    for (const hash of retry.reverse()) this.#book.askAgain(hash);
    // These wants are answered: the next ones go out now, so the peer serves them while we verify
    // and store these (the window counts unanswered wants, not unstored objects).
    this.#pump();
    let prepared: PreparedObject[];
    try {
      prepared = this.#options.store.prepareImport(sent.map((s) => s.bytes));
    } catch (error) {
      throw chumErrorOf(error);
    }
    prepared.forEach((p, i) => {
      if (p.hash !== sent[i]!.hash) throw new ChumError('HASH_MISMATCH', `bytes sent for ${sent[i]!.hash} hash to ${p.hash}`);
    });
    const parked = await this.#checkSignatures(prepared);
    for (const p of prepared) {
      if (parked.has(p) || this.#unwritten.has(p.hash)) continue;
      this.#unwritten.set(p.hash, p);
      this.#unwrittenBytes += p.bytes.byteLength;
    }
    for (const p of parked) this.#park(p);
    for (const hash of missing) this.#complete(hash, false, 0);
    const more = this.#inFlight.some((f) => f.kind === 'objects');
    if (more && this.#unwritten.size < WRITE_BATCH_OBJECTS && this.#unwrittenBytes < WRITE_BATCH_BYTES) return;
    const batch = [...this.#unwritten.values()];
    this.#unwritten = new Map();
    this.#unwrittenBytes = 0;
    await this.#write(batch);
    await this.#releaseParked();
  }

  async #takeChunk(reply: MessageOf<'chunk'>): Promise<void> {
    const head = this.#takeInFlight(reply.w, 'chunk');
    const download = this.#blob!;
    if (!reply.d) download.failed = true;
    if (download.failed) {
      // Replies to the chunks already asked for still come; the BLOB is given up after the last.
      if (this.#inFlight.some((f) => f.kind === 'chunk')) return;
      download.abort();
      this.#blob = undefined;
      this.#complete(download.hash, false, 0, download.bytes);
      return;
    }
    const before = download.bytes;
    const complete = await download.accept(head.i, reply);
    this.#book.countBytes(download.bytes - before);
    if (!complete) return;
    this.#blob = undefined;
    this.#complete(download.hash, true, download.bytes, download.bytes);
  }

  #takeInFlight<K extends InFlight['kind']>(w: number, kind: K): Extract<InFlight, { kind: K }> {
    const head = this.#inFlight[0];
    if (!head || head.w !== w || head.kind !== kind) {
      if (this.#inFlight.some((f) => f.w === w)) throw new ChumError('PROTOCOL', `reply ${w} out of order`);
      throw new ChumError('UNSOLICITED', `a reply ${w} to no want`);
    }
    this.#inFlight.shift();
    return head as Extract<InFlight, { kind: K }>;
  }

  /** Signatures in `prepared` whose keys are not here yet; throws BAD_SIGNATURE for one that fails. */
  async #checkSignatures(prepared: readonly PreparedObject[]): Promise<Set<PreparedObject>> {
    const parked = new Set<PreparedObject>();
    const batch = new Map(prepared.map((p) => [p.hash, p.object]));
    for (const p of prepared) {
      if (p.type !== 'Signature') continue;
      const signature = p.object as unknown as Signature;
      const keys = batch.get(signature.keys) ?? this.#unwritten.get(signature.keys)?.object ?? (await this.#stored(signature.keys));
      if (keys) checkSignature(p.hash, signature, keys, this.#options.crypto);
      else parked.add(p);
    }
    return parked;
  }

  /** Keys objects read for signature checks: immutable by hash, and one author's keys sign thousands of messages. */
  readonly #keysRead = new Map<SHA256Hash, LamaObject>();

  async #stored(hash: SHA256Hash): Promise<LamaObject | undefined> {
    const cached = this.#keysRead.get(hash);
    if (cached) return cached;
    const object = (await this.#options.store.getMany([hash]))[0];
    if (object?.$type$ === 'Keys') {
      if (this.#keysRead.size >= 256) this.#keysRead.delete(this.#keysRead.keys().next().value!);
      this.#keysRead.set(hash, object);
    }
    return object;
  }

  #park(p: PreparedObject): void {
    const keys = (p.object as unknown as Signature).keys;
    const list = this.#parked.get(keys) ?? [];
    list.push({ prepared: p, want: this.#book.take(p.hash) }); // it arrived; it waits for its keys, not for the peer
    this.#parked.set(keys, list);
    this.#book.want(keys, 'object', undefined, true).forKeys = true;
  }

  async #releaseParked(): Promise<void> {
    for (const [keysHash, list] of [...this.#parked]) {
      const keys = await this.#stored(keysHash);
      if (!keys) continue;
      this.#parked.delete(keysHash);
      for (const { prepared } of list) checkSignature(prepared.hash, prepared.object as unknown as Signature, keys, this.#options.crypto);
      await this.#options.store.writeImported(list.map((l) => l.prepared));
      for (const { prepared, want } of list) this.#book.settle(want, true, prepared.bytes.byteLength);
    }
  }

  /** Stores verified objects, then wants what they reference and we lack, before they count as handled. */
  async #write(prepared: readonly PreparedObject[]): Promise<void> {
    if (prepared.length === 0) return;
    await this.#options.store.writeImported(prepared);
    const references: { hash: SHA256Hash; kind: ItemKind; holds: number[] }[] = [];
    for (const p of prepared) {
      const holds = this.#book.offersWaitingFor(p.hash);
      for (const ref of p.refs) references.push({ hash: ref.hash, kind: ref.kind === 'blob' ? 'blob' : 'object', holds });
    }
    const wanted = references.filter((r) => this.#policy({ hash: r.hash, kind: r.kind, reason: 'reference' }) === 'now');
    const present = await this.#presence(wanted);
    wanted.forEach((ref, i) => {
      if (present[i]) return;
      const want = this.#book.get(ref.hash) ?? this.#book.want(ref.hash, ref.kind, undefined, false, true);
      for (const offer of ref.holds) this.#book.block(want, offer);
    });
    for (const p of prepared) this.#complete(p.hash, true, p.bytes.byteLength);
  }

  async #presence(items: readonly { hash: SHA256Hash; kind: ItemKind }[]): Promise<boolean[]> {
    const objects = items.filter((i) => i.kind === 'object').map((i) => i.hash);
    const stored = objects.length > 0 ? await this.#options.store.has(objects) : [];
    let next = 0;
    const out: boolean[] = [];
    for (const item of items) {
      if (item.kind === 'object') out.push(stored[next++]!);
      else out.push((await this.#options.store.adapter.blobSize(item.hash)) !== undefined);
    }
    return out;
  }

  #complete(hash: SHA256Hash, stored: boolean, bytes: number, countedBytes = 0): void {
    const want = this.#book.take(hash);
    if (!stored && want?.forKeys && this.#parked.has(hash)) {
      throw new ChumError('UNVERIFIABLE', `the peer sent a Signature but cannot supply its keys ${hash}`);
    }
    this.#book.settle(want, stored, bytes, countedBytes);
  }

  /** Acknowledges the offers now wholly handled, after saving the cursor they move. */
  async #advance(): Promise<void> {
    const { count: acked, cursor } = this.#book.handledPrefix(this.#acked, this.#cursor);
    if (acked === this.#acked) return;
    if (cursor !== this.#cursor) {
      await this.#options.saveCursor(cursor);
      this.#cursor = cursor;
    }
    this.#acked = acked;
    this.#options.send({ t: 'ack', n: acked });
    this.#checkInitialDone();
  }

  #checkInitialDone(): void {
    if (this.#initialDone || this.#syncedAt < 0 || this.#acked < this.#syncedAt) return;
    this.#initialDone = true;
    this.#options.onInitialDone();
  }

  #pump(): void {
    this.#checkInitialDone();
    while (this.#inFlight.length < WANT_WINDOW) {
      const objects = this.#book.nextObjects(MAX_WANT_HASHES);
      if (objects.length > 0) {
        const w = this.#nextWant++;
        this.#inFlight.push({ w, kind: 'objects', hashes: objects.map((want) => want.hash) });
        this.#options.send({ t: 'want', w, o: objects.map((want) => want.hash) });
        continue;
      }
      if (!this.#blob) {
        const next = this.#book.nextBlob();
        if (!next) break;
        this.#blob = new BlobDownload(this.#options.store, next.hash, next.size);
      }
      const i = this.#blob.nextChunk();
      if (i === undefined) break;
      const w = this.#nextWant++;
      this.#inFlight.push({ w, kind: 'chunk', blob: this.#blob.hash, i });
      this.#options.send({ t: 'wantChunk', w, b: this.#blob.hash, i });
    }
  }
}
