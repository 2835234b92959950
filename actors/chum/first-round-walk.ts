import type { SHA256Hash } from '../store/hash.ts';
import type { StorageAdapter } from '../store/storage-adapter.ts';
import { ArrivalHeap } from './arrival-heap.ts';
import type { Closure } from './closure.ts';
import { MAX_OFFER_ITEMS, OFFER_WINDOW, type OfferItem } from './messages.ts';

/**
 * Offers start once the walk has passed this many objects (about 50 ms of walking): before that
 * the peer hardly waits, and a round walked whole gives every offer its `through`.
 */
const STREAM_AFTER = 4 * MAX_OFFER_ITEMS;

/**
 * A first round from nothing, offered while its closure is walked (specs/chum.md §5.3): the walk
 * goes a batch at a time, and what it has walked waits here, by arrival number, until an offer
 * takes it — smallest number first, so what an object references (which usually arrived before
 * it) is offered before it. Whatever is left when the walk ends goes into the round's last offers.
 */
export class FirstRoundWalk {
  readonly #closure: Closure;
  readonly #adapter: StorageAdapter;
  readonly #mark: number;
  readonly #waiting = new ArrivalHeap();
  /** The arrival number of every object walked. */
  readonly seqs = new Map<SHA256Hash, number>();
  #walked = 0;
  /** A write came while walking: its live round runs once the walk is done. */
  liveWaiting = false;

  constructor(closure: Closure, adapter: StorageAdapter, mark: number) {
    this.#closure = closure;
    this.#adapter = adapter;
    this.#mark = mark;
  }

  get done(): boolean {
    return !this.#closure.walking;
  }

  /** Far enough ahead of the offers that the wants which came in may go first. */
  get ahead(): boolean {
    return this.#waiting.size >= OFFER_WINDOW * MAX_OFFER_ITEMS;
  }

  /** A whole offer's worth is walked and waiting, and the walk is past its start. */
  get offerReady(): boolean {
    return this.#walked >= STREAM_AFTER && this.#waiting.size >= MAX_OFFER_ITEMS;
  }

  async step(): Promise<void> {
    const walked = await this.#closure.step();
    const seqs = await this.#adapter.getSeqs(walked);
    walked.forEach((hash, i) => {
      const seq = seqs[i] ?? this.#mark;
      this.seqs.set(hash, seq);
      this.#waiting.push(seq, hash);
    });
    this.#walked += walked.length;
  }

  /** Up to one offer's items, smallest arrival number first; `take` says whether to offer a hash. */
  takeOffer(take: (hash: SHA256Hash) => boolean): OfferItem[] {
    const items: OfferItem[] = [];
    while (items.length < MAX_OFFER_ITEMS && this.#waiting.size > 0) {
      const hash = this.#waiting.pop()!;
      if (!take(hash)) continue;
      const { type, size } = this.#closure.info.get(hash)!;
      items.push({ hash, kind: 'object', size, type });
    }
    return items;
  }

  /** What no offer took, in no particular order. */
  rest(): SHA256Hash[] {
    return this.#waiting.drain();
  }
}
