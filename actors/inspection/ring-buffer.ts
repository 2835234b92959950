/** A fixed-capacity FIFO that drops the oldest entry when full: bounded memory however chatty the actors are. */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #start = 0;
  #size = 0;
  #dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    this.#items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    if (this.#size === this.capacity) {
      this.#items[this.#start] = item;
      this.#start = (this.#start + 1) % this.capacity;
      this.#dropped++;
      return;
    }
    this.#items[(this.#start + this.#size) % this.capacity] = item;
    this.#size++;
  }

  /** Empties the buffer; what it dropped stays counted. */
  clear(): void {
    this.#items.fill(undefined);
    this.#start = 0;
    this.#size = 0;
  }

  /** Oldest first. */
  toArray(): T[] {
    return Array.from({ length: this.#size }, (_, i) => this.#items[(this.#start + i) % this.capacity] as T);
  }

  get size(): number {
    return this.#size;
  }

  /** How many entries were pushed out since creation. */
  get dropped(): number {
    return this.#dropped;
  }
}
