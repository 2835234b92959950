import type { SHA256Hash } from '../store/hash.ts';

/**
 * Objects by arrival number, smallest first (a binary min-heap). A first round offers what its walk
 * has reached in arrival order, so what an object references — which usually arrived before it —
 * is offered before it, and the receiver need not fetch it as a reference first.
 */
export class ArrivalHeap {
  readonly #seqs: number[] = [];
  readonly #hashes: SHA256Hash[] = [];

  get size(): number {
    return this.#seqs.length;
  }

  push(seq: number, hash: SHA256Hash): void {
    let i = this.#seqs.length;
    this.#seqs.push(seq);
    this.#hashes.push(hash);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.#seqs[parent]! <= seq) break;
      this.#move(parent, i);
      i = parent;
    }
    this.#seqs[i] = seq;
    this.#hashes[i] = hash;
  }

  /** The object with the smallest arrival number, taken out. */
  pop(): SHA256Hash | undefined {
    const top = this.#hashes[0];
    const seq = this.#seqs.pop();
    const hash = this.#hashes.pop();
    if (seq === undefined || hash === undefined || this.#seqs.length === 0) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.#seqs.length) break;
      if (child + 1 < this.#seqs.length && this.#seqs[child + 1]! < this.#seqs[child]!) child++;
      if (this.#seqs[child]! >= seq) break;
      this.#move(child, i);
      i = child;
    }
    this.#seqs[i] = seq;
    this.#hashes[i] = hash;
    return top;
  }

  /** Everything left, taken out in no particular order. */
  drain(): SHA256Hash[] {
    this.#seqs.length = 0;
    return this.#hashes.splice(0);
  }

  #move(from: number, to: number): void {
    this.#seqs[to] = this.#seqs[from]!;
    this.#hashes[to] = this.#hashes[from]!;
  }
}
