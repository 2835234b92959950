import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import type { Signature } from '../identity/identity-recipes.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { Hasher } from '../store/hasher.ts';
import type { BlobWriter, ObjectStore, PreparedObject } from '../store/object-store.ts';
import type { LamaObject } from '../store/recipes.ts';
import { ChumError, chumErrorOf } from './chum-error.ts';
import { CHUNK_BYTES, MAX_WANT_HASHES, OFFER_WINDOW, WANT_WINDOW, type ItemKind, type Message, type MessageOf, type OfferItem } from './messages.ts';
import { SerialQueue } from './serial-queue.ts';
import { checkSignature } from './signature-check.ts';
import { WantQueue } from './want-queue.ts';

/** What a receiver is about to fetch: an offered item, a reference of something it stored, or an explicit fetch. */
export interface Candidate {
  readonly hash: SHA256Hash;
  readonly kind: ItemKind;
  readonly size?: number;
  readonly type?: string;
  readonly reason: 'offer' | 'reference';
}

/**
 * The sparse receiver's hook (specs/chum.md §7): 'now' fetches in the background, 'later' leaves
 * it for an explicit `fetch` (it still counts as handled for the cursor).
 */
export type FetchPolicy = (candidate: Candidate) => 'now' | 'later';
export const fetchEverything: FetchPolicy = () => 'now';

export interface SyncProgress {
  readonly objectsDone: number;
  readonly objectsTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

export interface FetchResult {
  readonly fetched: SHA256Hash[];
  /** What the peer does not have, or may not give us. */
  readonly missing: SHA256Hash[];
}

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

interface Want {
  readonly hash: SHA256Hash;
  readonly kind: ItemKind;
  size?: number;
  /** Offered items it serves: they count in progress and hold their offer back. */
  readonly items: { offer: number; size: number }[];
  /** Offers held back by it without counting it (it is a reference of something they brought). */
  readonly blocks: number[];
  /** Counted in progress by itself (a reference, a fetch, the keys of a Signature). */
  own: boolean;
  readonly waiters: ((stored: boolean) => void)[];
  /** A Signature waits for these keys: if the peer cannot supply them, it sent a Signature it cannot back. */
  forKeys: boolean;
  urgent: boolean;
  requested: boolean;
}

interface OfferState {
  remaining: number;
  readonly through?: number;
}

type InFlight = { readonly w: number; readonly kind: 'objects'; readonly hashes: SHA256Hash[] } | { readonly w: number; readonly kind: 'chunk'; readonly blob: SHA256Hash; readonly i: number };

interface BlobDownload {
  readonly want: Want;
  requested: number;
  received: number;
  bytes: number;
  writer?: BlobWriter;
  ended: boolean;
  failed: boolean;
}

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
  readonly #offers: OfferState[] = [];
  readonly #wanted = new Map<SHA256Hash, Want>();
  readonly #urgent = new WantQueue<Want>();
  readonly #background = new WantQueue<Want>();
  readonly #blobQueue = new WantQueue<Want>();
  readonly #inFlight: InFlight[] = [];
  /** Messages received and not yet handled, in order. */
  readonly #inbox: (MessageOf<'offer'> | MessageOf<'synced'> | MessageOf<'objects'> | MessageOf<'chunk'>)[] = [];
  /** Signatures held until their keys arrive, by keys hash. */
  readonly #parked = new Map<SHA256Hash, { prepared: PreparedObject; want: Want | undefined }[]>();
  /** Everything the peer offered in this session: it has it. */
  readonly offeredByPeer = new Set<SHA256Hash>();
  #blob: BlobDownload | undefined;
  #received = 0;
  #acked = 0;
  #syncedAt = -1;
  #initialDone = false;
  #cursor: number;
  #nextWant = 1;
  #progress = { objectsDone: 0, objectsTotal: 0, bytesDone: 0, bytesTotal: 0 };

  constructor(options: FetcherOptions) {
    this.#options = options;
    this.#policy = options.policy ?? fetchEverything;
    this.#queue = new SerialQueue(options.onError);
    this.#cursor = options.cursor;
  }

  get progress(): SyncProgress {
    return { ...this.#progress };
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
          const want = this.#want(hash, kind, undefined, true);
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
    void this.#blob?.writer?.abort();
    this.#blob = undefined;
    for (const want of this.#wanted.values()) for (const waiter of want.waiters.splice(0)) waiter(false);
  }

  async #takeOffer(offer: MessageOf<'offer'>): Promise<void> {
    const index = this.#offers.length;
    const state: OfferState = { remaining: 0, ...(offer.through !== undefined ? { through: offer.through } : {}) };
    this.#offers.push(state);
    if (offer.round) {
      this.#progress.objectsTotal += offer.round.objects;
      this.#progress.bytesTotal += offer.round.bytes;
    }
    const now: OfferItem[] = [];
    for (const item of offer.items) {
      this.offeredByPeer.add(item.hash);
      if (this.#policy({ ...item, reason: 'offer' }) === 'now') now.push(item);
      else this.#countItem(item.size);
    }
    const present = await this.#presence(now);
    now.forEach((item, i) => {
      if (present[i]) {
        this.#countItem(item.size);
        return;
      }
      const want = this.#want(item.hash, item.kind, item.size, false);
      want.items.push({ offer: index, size: item.size });
      state.remaining++;
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
    await this.#write(prepared.filter((p) => !parked.has(p)));
    for (const p of parked) this.#park(p);
    // Not sent this time (the reply budget): asked for again, first.
    for (const hash of retry.reverse()) {
      const want = this.#wanted.get(hash);
      if (!want) continue;
      want.requested = false;
      (want.urgent ? this.#urgent : this.#background).unshift(want);
    }
    for (const hash of missing) this.#complete(hash, false, 0);
    await this.#releaseParked();
  }

  async #takeChunk(reply: MessageOf<'chunk'>): Promise<void> {
    const head = this.#takeInFlight(reply.w, 'chunk');
    const download = this.#blob!;
    const hash = download.want.hash;
    if (download.failed) return this.#finishFailedBlob();
    if (!reply.d) {
      download.failed = true;
      return this.#finishFailedBlob();
    }
    const size = download.want.size;
    const chunks = size === undefined ? undefined : chunkCount(size);
    const length = reply.d.byteLength;
    const last = chunks !== undefined ? head.i === chunks - 1 : reply.end === true;
    const expected = chunks === undefined ? undefined : last ? size! - CHUNK_BYTES * (chunks - 1) : CHUNK_BYTES;
    if (length > CHUNK_BYTES || (expected !== undefined && length !== expected) || (!last && length !== CHUNK_BYTES) || (reply.end === true) !== last) {
      throw new ChumError('PROTOCOL', `chunk ${head.i} of BLOB ${hash} has ${length} bytes${reply.end ? ' and ends it' : ''}, against its offered size ${size ?? 'unknown'}`);
    }
    download.writer ??= await this.#options.store.openBlobWriter(hash);
    await download.writer.write(reply.d);
    download.received++;
    download.bytes += length;
    this.#progress.bytesDone += length;
    if (!last) return;
    download.ended = true;
    try {
      await download.writer.finish();
    } catch (error) {
      throw chumErrorOf(error);
    }
    this.#blob = undefined;
    this.#complete(hash, true, download.bytes, download.bytes);
  }

  #finishFailedBlob(): void {
    const download = this.#blob!;
    if (this.#inFlight.some((f) => f.kind === 'chunk')) return; // the rest of its replies are still coming
    void download.writer?.abort();
    this.#blob = undefined;
    this.#complete(download.want.hash, false, 0, download.bytes);
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
      const keys = batch.get(signature.keys) ?? (await this.#stored(signature.keys));
      if (keys) checkSignature(p.hash, signature, keys, this.#options.crypto);
      else parked.add(p);
    }
    return parked;
  }

  async #stored(hash: SHA256Hash): Promise<LamaObject | undefined> {
    return (await this.#options.store.getMany([hash]))[0];
  }

  #park(p: PreparedObject): void {
    const keys = (p.object as unknown as Signature).keys;
    const list = this.#parked.get(keys) ?? [];
    list.push({ prepared: p, want: this.#wanted.get(p.hash) });
    this.#parked.set(keys, list);
    this.#wanted.delete(p.hash); // it arrived; it waits for its keys, not for the peer
    this.#want(keys, 'object', undefined, true).forKeys = true;
  }

  async #releaseParked(): Promise<void> {
    for (const [keysHash, list] of [...this.#parked]) {
      const keys = await this.#stored(keysHash);
      if (!keys) continue;
      this.#parked.delete(keysHash);
      for (const { prepared } of list) checkSignature(prepared.hash, prepared.object as unknown as Signature, keys, this.#options.crypto);
      await this.#options.store.writeImported(list.map((l) => l.prepared));
      for (const { prepared, want } of list) this.#completeWant(want, true, prepared.bytes.byteLength);
    }
  }

  /** Stores verified objects, then wants what they reference and we lack, before they count as handled. */
  async #write(prepared: readonly PreparedObject[]): Promise<void> {
    if (prepared.length === 0) return;
    await this.#options.store.writeImported(prepared);
    const references: { hash: SHA256Hash; kind: ItemKind; holds: number[] }[] = [];
    for (const p of prepared) {
      const want = this.#wanted.get(p.hash);
      const holds = want ? [...want.items.map((item) => item.offer), ...want.blocks] : [];
      for (const ref of p.refs) references.push({ hash: ref.hash, kind: ref.kind === 'blob' ? 'blob' : 'object', holds });
    }
    const wanted = references.filter((r) => this.#policy({ hash: r.hash, kind: r.kind, reason: 'reference' }) === 'now');
    const present = await this.#presence(wanted);
    wanted.forEach((ref, i) => {
      if (present[i]) return;
      const want = this.#wanted.get(ref.hash) ?? this.#want(ref.hash, ref.kind, undefined, false, true);
      for (const offer of ref.holds) {
        want.blocks.push(offer);
        this.#offers[offer]!.remaining++;
      }
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

  #want(hash: SHA256Hash, kind: ItemKind, size: number | undefined, urgent: boolean, own = urgent): Want {
    let want = this.#wanted.get(hash);
    if (!want) {
      want = { hash, kind, items: [], blocks: [], own: false, waiters: [], forKeys: false, urgent, requested: false, ...(size !== undefined ? { size } : {}) };
      this.#wanted.set(hash, want);
      this.#enqueue(want);
    } else if (urgent && !want.urgent) {
      want.urgent = true;
      if (!want.requested) this.#enqueue(want);
    }
    if (size !== undefined) want.size ??= size;
    if (own && !want.own) {
      want.own = true;
      this.#progress.objectsTotal++;
    }
    return want;
  }

  #enqueue(want: Want): void {
    if (want.kind === 'blob') {
      if (want.urgent) this.#blobQueue.unshift(want);
      else this.#blobQueue.push(want);
    } else (want.urgent ? this.#urgent : this.#background).push(want);
  }

  #complete(hash: SHA256Hash, stored: boolean, bytes: number, countedBytes = 0): void {
    const want = this.#wanted.get(hash);
    this.#wanted.delete(hash);
    if (!stored && want?.forKeys && this.#parked.has(hash)) {
      throw new ChumError('UNVERIFIABLE', `the peer sent a Signature but cannot supply its keys ${hash}`);
    }
    this.#completeWant(want, stored, bytes, countedBytes);
  }

  #completeWant(want: Want | undefined, stored: boolean, bytes: number, countedBytes = 0): void {
    if (!want) return;
    let counted = countedBytes;
    for (const item of want.items) {
      this.#offers[item.offer]!.remaining--;
      this.#countItem(item.size - Math.min(counted, item.size));
      counted -= Math.min(counted, item.size);
    }
    for (const offer of want.blocks) this.#offers[offer]!.remaining--;
    if (want.own) {
      this.#progress.objectsDone++;
      this.#progress.bytesTotal += bytes;
      this.#progress.bytesDone += bytes - Math.min(counted, bytes);
    }
    for (const waiter of want.waiters) waiter(stored);
  }

  #countItem(size: number): void {
    this.#progress.objectsDone++;
    this.#progress.bytesDone += size;
  }

  /** Acknowledges the offers now wholly handled, after saving the cursor they move. */
  async #advance(): Promise<void> {
    const before = this.#acked;
    let cursor = this.#cursor;
    let acked = before;
    while (acked < this.#offers.length && this.#offers[acked]!.remaining === 0) {
      cursor = Math.max(cursor, this.#offers[acked]!.through ?? 0);
      acked++;
    }
    if (acked === before) return;
    if (cursor !== this.#cursor) {
      await this.#options.saveCursor(cursor);
      this.#cursor = cursor;
    }
    this.#acked = acked;
    this.#options.send({ t: 'ack', n: acked });
    if (!this.#initialDone && this.#syncedAt >= 0 && acked >= this.#syncedAt) this.#checkInitialDone();
  }

  #checkInitialDone(): void {
    if (this.#initialDone || this.#syncedAt < 0 || this.#acked < this.#syncedAt) return;
    this.#initialDone = true;
    this.#options.onInitialDone();
  }

  #pump(): void {
    this.#checkInitialDone();
    while (this.#inFlight.length < WANT_WINDOW) {
      const objects = this.#takeObjectWants();
      if (objects.length > 0) {
        const w = this.#nextWant++;
        this.#inFlight.push({ w, kind: 'objects', hashes: objects.map((want) => want.hash) });
        this.#options.send({ t: 'want', w, o: objects.map((want) => want.hash) });
        continue;
      }
      if (!this.#blob) {
        const next = this.#blobQueue.shift();
        if (!next) break;
        if (this.#wanted.get(next.hash) !== next || next.requested) continue;
        next.requested = true;
        this.#blob = { want: next, requested: 0, received: 0, bytes: 0, ended: false, failed: false };
      }
      const download = this.#blob;
      const size = download.want.size;
      const more = size === undefined ? download.requested === download.received : download.requested < chunkCount(size);
      if (!more || download.failed) break;
      const w = this.#nextWant++;
      const i = download.requested++;
      this.#inFlight.push({ w, kind: 'chunk', blob: download.want.hash, i });
      this.#options.send({ t: 'wantChunk', w, b: download.want.hash, i });
    }
  }

  #takeObjectWants(): Want[] {
    const taken: Want[] = [];
    for (const queue of [this.#urgent, this.#background]) {
      while (taken.length < MAX_WANT_HASHES && queue.length > 0) {
        const want = queue.shift()!;
        if (this.#wanted.get(want.hash) !== want || want.requested) continue;
        want.requested = true;
        taken.push(want);
      }
    }
    return taken;
  }
}

function chunkCount(size: number): number {
  return Math.max(1, Math.ceil(size / CHUNK_BYTES));
}
