import { decodeObject } from '../store/encoding.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { Hasher } from '../store/hasher.ts';
import type { ObjectStore, StoreWrite } from '../store/object-store.ts';
import { StoreError } from '../store/store-error.ts';
import { BlobChunkReader } from './blob-chunks.ts';
import { ChumError } from './chum-error.ts';
import { Closure } from './closure.ts';
import { FirstRoundWalk } from './first-round-walk.ts';
import { GRANT_TYPES, isOldRoot, rootsFor } from './grants.ts';
import { CHUNK_BYTES, OFFER_WINDOW, REPLY_BUDGET_BYTES, WANT_WINDOW, type Message, type MessageOf, type OfferItem } from './messages.ts';
import { nextTurn } from './next-turn.ts';
import { objectsToOffer, offersOf } from './offer-plan.ts';
import { SerialQueue } from './serial-queue.ts';

export interface OffererOptions {
  readonly store: ObjectStore;
  readonly hasher: Hasher;
  /** The peer's Person: what it may see is decided by the grants naming it or its groups. */
  readonly peerPerson: SHA256Hash;
  readonly send: (message: Message) => void;
  readonly onError: (error: unknown) => void;
  /** Every offer of the initial round was acknowledged. */
  readonly onInitialDone: () => void;
  /** True for what the peer offered us in this session: it has it, so it is not offered back. */
  readonly peerHas?: (hash: SHA256Hash) => boolean;
}

const ARRIVAL_PAGE = 1024;
/** The longest the first round's walk holds the event loop before it lets incoming messages in. */
const WALK_SLICE_MS = 20;

/**
 * The sending half of a session (specs/chum.md §5): offers what the peer may see, in rounds — the
 * initial one from the peer's cursor, then a live one whenever the store changes — keeping at
 * most OFFER_WINDOW offers unacknowledged, and answers the peer's wants with objects and BLOB
 * chunks, but only ever ones in the peer's closure.
 */
export class Offerer {
  readonly #options: OffererOptions;
  readonly #queue: SerialQueue;
  readonly #blobReader: BlobChunkReader;
  /** Objects and BLOBs offered in this session, or known to be acknowledged before it. */
  readonly #offered = new Set<SHA256Hash>();
  readonly #outbox: (MessageOf<'offer'> | MessageOf<'synced'>)[] = [];
  readonly #notifiedBlobs = new Set<SHA256Hash>();
  /** BLOBs whose presence was checked; an absent one is checked again when it is written. */
  readonly #consideredBlobs = new Set<SHA256Hash>();
  /** Whether a VersionNode's ID is a grant or group, by ID hash. */
  readonly #decidesAccess = new Map<SHA256Hash, boolean>();
  #closure: Closure | undefined;
  #walk: FirstRoundWalk | undefined;
  /** The walk's next step, between two turns of the event loop (it is queued once this resolves). */
  #nextStep: Promise<void> | undefined;
  #stopped = false;
  #mark = 0;
  #sentOffers = 0;
  #acked = 0;
  #initialOffers = -1;
  #wantsPending = 0;
  #roundQueued = false;
  #unsubscribe: (() => void) | undefined;

  constructor(options: OffererOptions) {
    this.#options = options;
    this.#queue = new SerialQueue(options.onError);
    this.#blobReader = new BlobChunkReader(options.store);
  }

  /** Offers sent and not yet acknowledged. */
  get unacknowledged(): number {
    return this.#sentOffers - this.#acked;
  }

  /** Starts the initial round from the peer's cursor (0: it has nothing of ours acknowledged). */
  start(cursor: number): void {
    // Subscribe before reading the mark, so no write falls between the two.
    this.#unsubscribe = this.#options.store.onWrite((write) => this.#noticeWrite(write));
    this.#queue.run(() => this.#initialRound(cursor));
  }

  stop(): void {
    this.#stopped = true;
    this.#unsubscribe?.();
  }

  async idle(): Promise<void> {
    do {
      await this.#nextStep;
      await this.#queue.idle();
    } while (this.busy);
  }

  get busy(): boolean {
    return this.#queue.busy || this.#nextStep !== undefined;
  }

  ack(n: number): void {
    if (n <= this.#acked || n > this.#sentOffers) throw new ChumError('PROTOCOL', `ack of ${n} offers; ${this.#acked} were acknowledged, ${this.#sentOffers} sent`);
    this.#acked = n;
    this.#pump();
    this.#stream();
    if (this.#initialOffers >= 0 && this.#acked >= this.#initialOffers) {
      this.#initialOffers = -1;
      this.#options.onInitialDone();
    }
  }

  want(message: MessageOf<'want'> | MessageOf<'wantChunk'>): void {
    if (++this.#wantsPending > WANT_WINDOW) throw new ChumError('PROTOCOL', `more than ${WANT_WINDOW} wants unanswered`);
    this.#queue.run(async () => {
      if (message.t === 'want') await this.#serveObjects(message);
      else await this.#serveChunk(message);
      this.#wantsPending--;
    });
  }

  async #initialRound(cursor: number): Promise<void> {
    const { store, hasher, peerPerson } = this.#options;
    const mark = (this.#mark = await store.adapter.lastSeq());
    const roots = await rootsFor(store, peerPerson);
    const closure = (this.#closure = await Closure.begin(store, hasher, roots));
    // A cursor past our last arrival is not ours (a store restored from an older backup): start over.
    const from = cursor <= mark ? cursor : 0;
    if (from === 0) {
      // Everything visible is offered: the walk goes a batch at a time, wants served in between.
      this.#walk = new FirstRoundWalk(closure, store.adapter, mark);
      this.#queue.run(() => this.#walkStep());
      return;
    }
    while (closure.walking) await closure.step();
    const present = closure.present;
    const seqs = await this.#seqsOf(present);
    const newRoots = [];
    for (const root of roots) if (!(await isOldRoot(store, root, from))) newRoots.push(root);
    const chosen = objectsToOffer(closure, seqs, from, newRoots);
    for (const hash of present) if (!chosen.has(hash)) this.#offered.add(hash);
    this.#finishInitial(await this.#round([...chosen], seqs, mark));
  }

  /**
   * The first round's walk, a batch at a time. It runs on until it is a window of offers ahead —
   * the offers would wait on it otherwise — but never for more than WALK_SLICE_MS at once: then
   * the next batch is queued on the next turn of the event loop, behind whatever came meanwhile,
   * so the peer's messages are taken in and its wants served while the walk goes on.
   */
  async #walkStep(): Promise<void> {
    const walk = this.#walk!;
    const started = performance.now();
    do {
      if (this.#stopped) return;
      await walk.step();
      this.#stream();
    } while (!walk.done && !walk.ahead && performance.now() - started < WALK_SLICE_MS);
    if (!walk.done) {
      this.#nextStep = nextTurn().then(() => {
        this.#nextStep = undefined;
        this.#queue.run(() => this.#walkStep());
      });
      return;
    }
    this.#walk = undefined;
    this.#finishInitial(await this.#round(walk.rest(), walk.seqs, this.#mark));
    if (walk.liveWaiting) this.#queue.run(() => this.#liveRound());
  }

  /**
   * While the walk runs, whole offers of what it has walked go out as the window allows. They
   * carry no `through` (objects not walked yet may have smaller arrival numbers) and each carries
   * its own `round` totals; the offers after the walk are cut as usual and give `through` again.
   */
  #stream(): void {
    const walk = this.#walk;
    while (walk?.offerReady && this.#outbox.length === 0 && this.unacknowledged < OFFER_WINDOW) {
      const items = walk.takeOffer((hash) => {
        if (this.#offered.has(hash)) return false;
        this.#offered.add(hash);
        return !this.#options.peerHas?.(hash);
      });
      if (items.length === 0) continue;
      this.#outbox.push({ t: 'offer', items, round: { objects: items.length, bytes: items.reduce((sum, item) => sum + item.size, 0) } });
      this.#pump();
    }
  }

  /** The first round's offers are all queued: an empty round still moves the peer's cursor, then `synced`. */
  #finishInitial(offers: number): void {
    if (offers === 0) this.#outbox.push({ t: 'offer', items: [], through: this.#mark, round: { objects: 0, bytes: 0 } });
    this.#initialOffers = this.#sentOffers + this.#outbox.length;
    this.#outbox.push({ t: 'synced' });
    this.#pump();
  }

  /** Queues the offers of one round; returns how many. */
  async #round(objects: readonly SHA256Hash[], seqs: ReadonlyMap<SHA256Hash, number>, mark: number): Promise<number> {
    const closure = this.#closure!;
    const objectItems: (OfferItem & { seq: number })[] = [];
    for (const hash of objects) {
      const info = closure.info.get(hash);
      if (!info || this.#offered.has(hash)) continue;
      this.#offered.add(hash);
      if (this.#options.peerHas?.(hash)) continue;
      objectItems.push({ hash, kind: 'object', size: info.size, type: info.type, seq: seqs.get(hash) ?? mark });
    }
    const blobItems: OfferItem[] = [];
    for (const hash of closure.blobs) {
      if (this.#offered.has(hash) || (this.#consideredBlobs.has(hash) && !this.#notifiedBlobs.has(hash))) continue;
      this.#consideredBlobs.add(hash);
      const size = await this.#options.store.adapter.blobSize(hash);
      if (size === undefined) continue;
      this.#offered.add(hash);
      if (this.#options.peerHas?.(hash)) continue;
      blobItems.push({ hash, kind: 'blob', size });
    }
    this.#notifiedBlobs.clear();
    if (objectItems.length === 0 && blobItems.length === 0) return 0;
    const offers = offersOf(objectItems, blobItems, mark);
    this.#outbox.push(...offers);
    return offers.length;
  }

  #noticeWrite(write: StoreWrite): void {
    for (const blob of write.blobs) this.#notifiedBlobs.add(blob);
    if (this.#roundQueued) return;
    this.#roundQueued = true;
    this.#queue.run(async () => {
      this.#roundQueued = false;
      await this.#liveRound();
    });
  }

  /** What arrived since the last round: newly visible objects, BLOBs that came, or new grants. */
  async #liveRound(): Promise<void> {
    if (this.#walk) {
      this.#walk.liveWaiting = true;
      return;
    }
    const { store, hasher, peerPerson } = this.#options;
    let closure = this.#closure!;
    let last = this.#mark;
    let regrant = false;
    const candidates: SHA256Hash[] = [];
    for (;;) {
      const arrivals = await store.adapter.arrivalsAfter(last, ARRIVAL_PAGE);
      if (arrivals.length === 0) break;
      last = arrivals.at(-1)!.seq;
      for (const { hash, type } of arrivals) {
        if (GRANT_TYPES.has(type) || (type === 'VersionNode' && (await this.#versionDecidesAccess(hash)))) regrant = true;
        else if (!regrant) {
          candidates.push(hash);
          if (closure.mayAdmit(hash, type)) candidates.push(...(await closure.admit(hash, type)));
        }
      }
    }
    if (regrant) {
      // Grants or groups changed: what the peer may see is worked out anew; revoked things drop out.
      closure = this.#closure = await Closure.of(store, hasher, await rootsFor(store, peerPerson));
      candidates.splice(0, candidates.length, ...closure.present);
    }
    const fresh = [...new Set(candidates)].filter((hash) => closure.info.has(hash) && !this.#offered.has(hash));
    this.#mark = last;
    await this.#round(fresh, await this.#seqsOf(fresh), last);
    this.#pump();
  }

  async #versionDecidesAccess(versionHash: SHA256Hash): Promise<boolean> {
    const [bytes] = await this.#options.store.adapter.getObjects([versionHash]);
    if (!bytes) return false;
    const { id } = decodeObject(bytes, versionHash) as { id?: SHA256Hash };
    if (!id) return false;
    let decides = this.#decidesAccess.get(id);
    if (decides === undefined) {
      const [idBytes] = await this.#options.store.adapter.getObjects([id]);
      decides = idBytes !== undefined && GRANT_TYPES.has(decodeObject(idBytes, id).$type$);
      this.#decidesAccess.set(id, decides);
    }
    return decides;
  }

  async #seqsOf(hashes: readonly SHA256Hash[]): Promise<Map<SHA256Hash, number>> {
    const seqs = await this.#options.store.adapter.getSeqs(hashes);
    const map = new Map<SHA256Hash, number>();
    hashes.forEach((hash, i) => {
      if (seqs[i] !== undefined) map.set(hash, seqs[i]);
    });
    return map;
  }

  #pump(): void {
    while (this.#outbox.length > 0 && (this.#outbox[0]!.t === 'synced' || this.unacknowledged < OFFER_WINDOW)) {
      const message = this.#outbox.shift()!;
      if (message.t === 'offer') this.#sentOffers++;
      this.#options.send(message);
    }
  }

  /** Objects in want order while they fit the reply budget; null for what the peer may not have or we lack. */
  async #serveObjects(want: MessageOf<'want'>): Promise<void> {
    const closure = this.#closure;
    const visible = want.o.map((hash) => closure?.objects.has(hash) ?? false);
    const stored = await this.#options.store.adapter.getObjects(want.o.filter((_, i) => visible[i]));
    const o: (Uint8Array | null)[] = [];
    let size = 0;
    let next = 0;
    for (let i = 0; i < want.o.length; i++) {
      const bytes = visible[i] ? stored[next++] : undefined;
      if (bytes && o.some((b) => b !== null) && size + bytes.byteLength > REPLY_BUDGET_BYTES) break;
      if (bytes) {
        const actual = this.#options.hasher.sha256Hex(bytes);
        if (actual !== want.o[i]) throw new StoreError('HASH_MISMATCH', `object ${want.o[i]} is damaged: its bytes hash to ${actual}`);
        size += bytes.byteLength;
      }
      o.push(bytes ?? null);
    }
    this.#options.send({ t: 'objects', w: want.w, o });
  }

  async #serveChunk(want: MessageOf<'wantChunk'>): Promise<void> {
    const visible = this.#closure?.blobs.has(want.b) ?? false;
    const size = visible ? await this.#options.store.adapter.blobSize(want.b) : undefined;
    if (size === undefined) {
      this.#options.send({ t: 'chunk', w: want.w });
      return;
    }
    const count = Math.max(1, Math.ceil(size / CHUNK_BYTES));
    if (want.i >= count) throw new ChumError('PROTOCOL', `chunk ${want.i} of BLOB ${want.b}, which has ${count}`);
    const last = want.i === count - 1;
    const d = await this.#blobReader.read(want.b, want.i, last);
    this.#options.send(last ? { t: 'chunk', w: want.w, d, end: true } : { t: 'chunk', w: want.w, d });
  }
}
