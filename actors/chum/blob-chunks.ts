import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { CHUNK_BYTES } from './messages.ts';

/**
 * Reads a stored BLOB as CHUNK_BYTES pieces by index, whatever chunk size the adapter streams in.
 * A receiver asks for chunks in order, so one reader per BLOB carries on where it stopped; asking
 * out of order starts over. The store verifies the hash as the stream passes, so a damaged BLOB
 * fails at its last chunk.
 */
interface OpenBlob {
  readonly hash: SHA256Hash;
  next: number;
  readonly source: AsyncIterator<Uint8Array>;
  pending: Uint8Array;
}

export class BlobChunkReader {
  readonly #store: ObjectStore;
  #open: OpenBlob | undefined;

  constructor(store: ObjectStore) {
    this.#store = store;
  }

  /** Chunk `index`; for the `last` one the stream is read to its end, where the store checks the hash. */
  async read(hash: SHA256Hash, index: number, last: boolean): Promise<Uint8Array> {
    if (this.#open?.hash !== hash || this.#open.next > index) {
      const source = (await this.#store.readBlob(hash))[Symbol.asyncIterator]();
      this.#open = { hash, next: 0, source, pending: new Uint8Array(0) };
    }
    const open = this.#open;
    let chunk = await this.#nextChunk(open);
    while (open.next <= index) chunk = await this.#nextChunk(open);
    if (last) {
      while (!(await open.source.next()).done);
      this.#open = undefined;
    }
    return chunk;
  }

  async #nextChunk(open: OpenBlob): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let length = 0;
    const take = (bytes: Uint8Array) => {
      const used = bytes.subarray(0, CHUNK_BYTES - length);
      parts.push(used);
      length += used.byteLength;
      return bytes.subarray(used.byteLength);
    };
    open.pending = take(open.pending);
    while (length < CHUNK_BYTES) {
      const { value, done } = await open.source.next();
      if (done) break;
      open.pending = take(value);
    }
    open.next++;
    const chunk = new Uint8Array(length);
    let offset = 0;
    for (const part of parts) {
      chunk.set(part, offset);
      offset += part.byteLength;
    }
    return chunk;
  }
}
