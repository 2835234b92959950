/**
 * Runs tasks one at a time per key (here: per ID hash), so a read-modify-write of a version head
 * set never interleaves with another one for the same versioned object. A task may hold several
 * keys; it waits for every earlier task on any of them. There is no deadlock: a task takes all its
 * keys at once, when it is queued.
 */
export class KeyLock<K> {
  readonly #tails = new Map<K, Promise<unknown>>();

  run<T>(keys: readonly K[], task: () => Promise<T>): Promise<T> {
    const previous = Promise.all(keys.map((key) => this.#tails.get(key)));
    const result = previous.then(task);
    const tail = result.catch(() => undefined);
    for (const key of keys) this.#tails.set(key, tail);
    void tail.then(() => {
      for (const key of keys) if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
