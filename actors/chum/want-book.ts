import type { SHA256Hash } from '../store/hash.ts';
import type { SyncProgress } from './fetch-policy.ts';
import type { ItemKind } from './messages.ts';
import { WantQueue } from './want-queue.ts';

/** One hash the receiver lacks and means to fetch, and what waits for it. */
export interface Want {
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

/**
 * The receiver's books (specs/chum.md §6): the offers of this session and how many of their items
 * are still wanted, the wants in the order they will be asked for (urgent ones first), and the
 * progress counts (§9) that follow from them.
 */
export class WantBook {
  readonly #offers: OfferState[] = [];
  readonly #wanted = new Map<SHA256Hash, Want>();
  readonly #urgent = new WantQueue<Want>();
  readonly #background = new WantQueue<Want>();
  readonly #blobs = new WantQueue<Want>();
  readonly #progress = { objectsDone: 0, objectsTotal: 0, bytesDone: 0, bytesTotal: 0 };

  get progress(): SyncProgress {
    return { ...this.#progress };
  }

  /** Opens the next offer; returns its index. */
  addOffer(through: number | undefined, round: { objects: number; bytes: number } | undefined): number {
    this.#offers.push({ remaining: 0, ...(through !== undefined ? { through } : {}) });
    if (round) {
      this.#progress.objectsTotal += round.objects;
      this.#progress.bytesTotal += round.bytes;
    }
    return this.#offers.length - 1;
  }

  /** An offered item handled at once: already here, or left for later. */
  handled(size: number): void {
    this.#progress.objectsDone++;
    this.#progress.bytesDone += size;
  }

  /** Bytes of a BLOB counted as its chunks arrive. */
  countBytes(bytes: number): void {
    this.#progress.bytesDone += bytes;
  }

  get(hash: SHA256Hash): Want | undefined {
    return this.#wanted.get(hash);
  }

  /** The want for `hash`, made if new; `urgent` moves it ahead; `own` counts it in progress by itself. */
  want(hash: SHA256Hash, kind: ItemKind, size: number | undefined, urgent: boolean, own = urgent): Want {
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

  /** Offer `offer` waits for `want` as one of its items. */
  holdFor(want: Want, offer: number, size: number): void {
    want.items.push({ offer, size });
    this.#offers[offer]!.remaining++;
  }

  /** Offer `offer` waits for `want` without counting it. */
  block(want: Want, offer: number): void {
    want.blocks.push(offer);
    this.#offers[offer]!.remaining++;
  }

  /** The offers waiting for `hash` (a reference of it then holds them too). */
  offersWaitingFor(hash: SHA256Hash): number[] {
    const want = this.#wanted.get(hash);
    return want ? [...want.items.map((item) => item.offer), ...want.blocks] : [];
  }

  /** Takes the want out of the books without settling it (a Signature waiting for its keys). */
  take(hash: SHA256Hash): Want | undefined {
    const want = this.#wanted.get(hash);
    this.#wanted.delete(hash);
    return want;
  }

  /**
   * Settles a want: its offers wait for it no more, its waiters learn whether it was stored, and
   * progress counts it. `countedBytes` were counted already (BLOB chunks).
   */
  settle(want: Want | undefined, stored: boolean, bytes: number, countedBytes = 0): void {
    if (!want) return;
    let counted = countedBytes;
    for (const item of want.items) {
      this.#offers[item.offer]!.remaining--;
      const already = Math.min(counted, item.size);
      this.handled(item.size - already);
      counted -= already;
    }
    for (const offer of want.blocks) this.#offers[offer]!.remaining--;
    if (want.own) {
      this.#progress.objectsDone++;
      this.#progress.bytesTotal += bytes;
      this.#progress.bytesDone += bytes - Math.min(counted, bytes);
    }
    for (const waiter of want.waiters.splice(0)) waiter(stored);
  }

  /** Asked for but not sent (the reply budget): first in line again. */
  askAgain(hash: SHA256Hash): void {
    const want = this.#wanted.get(hash);
    if (!want) return;
    want.requested = false;
    (want.urgent ? this.#urgent : this.#background).unshift(want);
  }

  /** Up to `max` object wants to ask for now, urgent ones first. */
  nextObjects(max: number): Want[] {
    const taken: Want[] = [];
    for (const queue of [this.#urgent, this.#background]) {
      while (taken.length < max && queue.length > 0) {
        const want = queue.shift()!;
        if (this.#wanted.get(want.hash) !== want || want.requested) continue;
        want.requested = true;
        taken.push(want);
      }
    }
    return taken;
  }

  /** The next BLOB to download. */
  nextBlob(): Want | undefined {
    for (let want = this.#blobs.shift(); want; want = this.#blobs.shift()) {
      if (this.#wanted.get(want.hash) !== want || want.requested) continue;
      want.requested = true;
      return want;
    }
    return undefined;
  }

  /** How many offers from the start are wholly handled, and the cursor their `through` values give. */
  handledPrefix(from: number, cursor: number): { count: number; cursor: number } {
    let count = from;
    while (count < this.#offers.length && this.#offers[count]!.remaining === 0) {
      cursor = Math.max(cursor, this.#offers[count]!.through ?? 0);
      count++;
    }
    return { count, cursor };
  }

  /** The session ended: whoever waits learns it got nothing. */
  abandon(): void {
    for (const want of this.#wanted.values()) for (const waiter of want.waiters.splice(0)) waiter(false);
  }

  #enqueue(want: Want): void {
    if (want.kind === 'blob') {
      if (want.urgent) this.#blobs.unshift(want);
      else this.#blobs.push(want);
    } else (want.urgent ? this.#urgent : this.#background).push(want);
  }
}
