/**
 * Runs async tasks one after another, in the order they were queued: CHUM handles each peer
 * message only after the previous one is done, so store reads and writes never interleave within
 * one direction of a session. A failing task goes to `onError`; the queue goes on (the session
 * closes itself on the first error, and later tasks find it closed).
 */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  run(task: () => Promise<void> | void): void {
    this.#pending++;
    this.#tail = this.#tail
      .then(task)
      .catch((error: unknown) => this.#onError(error))
      .finally(() => this.#pending--);
  }

  /** Tasks queued and not finished. */
  get busy(): boolean {
    return this.#pending > 0;
  }

  /** Resolves once every task queued so far, and every task those queued, has finished. */
  async idle(): Promise<void> {
    while (this.#pending > 0) await this.#tail;
  }
}
