import type { SHA256Hash } from '../store/hash.ts';
import type { BlobWriter, ObjectStore } from '../store/object-store.ts';
import { ChumError, chumErrorOf } from './chum-error.ts';
import { CHUNK_BYTES, type MessageOf } from './messages.ts';

/** Chunks of a BLOB of `size` bytes (an empty BLOB has one, empty). */
export function chunkCount(size: number): number {
  return Math.max(1, Math.ceil(size / CHUNK_BYTES));
}

/**
 * One BLOB being received (specs/chum.md §6.3): which chunk to ask for next, the checks on each
 * chunk against the offered size, and a writer that files the BLOB only if all its bytes hash to
 * its hash. With a known size every chunk may be asked for at once; without, one at a time until
 * the one marked `end`.
 */
export class BlobDownload {
  readonly hash: SHA256Hash;
  readonly size: number | undefined;
  /** Bytes received so far (progress counts them as they come). */
  bytes = 0;
  /** The peer said it cannot send it; replies to chunks already asked for are still awaited. */
  failed = false;
  #requested = 0;
  #received = 0;
  #writer: BlobWriter | undefined;
  readonly #store: ObjectStore;

  constructor(store: ObjectStore, hash: SHA256Hash, size: number | undefined) {
    this.#store = store;
    this.hash = hash;
    this.size = size;
  }

  /** The next chunk to ask for, if one may be asked for now. */
  nextChunk(): number | undefined {
    if (this.failed) return undefined;
    const more = this.size === undefined ? this.#requested === this.#received : this.#requested < chunkCount(this.size);
    return more ? this.#requested++ : undefined;
  }

  /** Writes chunk `index` (replies come in order); true once the BLOB is complete and filed. */
  async accept(index: number, reply: MessageOf<'chunk'>): Promise<boolean> {
    const data = reply.d!;
    const chunks = this.size === undefined ? undefined : chunkCount(this.size);
    const last = chunks !== undefined ? index === chunks - 1 : reply.end === true;
    const expected = chunks === undefined ? undefined : last ? this.size! - CHUNK_BYTES * (chunks - 1) : CHUNK_BYTES;
    const length = data.byteLength;
    if (length > CHUNK_BYTES || (expected !== undefined && length !== expected) || (!last && length !== CHUNK_BYTES) || (reply.end === true) !== last) {
      throw new ChumError('PROTOCOL', `chunk ${index} of BLOB ${this.hash} has ${length} bytes${reply.end ? ' and ends it' : ''}, against its offered size ${this.size ?? 'unknown'}`);
    }
    this.#writer ??= await this.#store.openBlobWriter(this.hash);
    await this.#writer.write(data);
    this.#received++;
    this.bytes += length;
    if (!last) return false;
    try {
      await this.#writer.finish();
    } catch (error) {
      throw chumErrorOf(error);
    }
    return true;
  }

  /** Drops what was written; nothing of it becomes visible. */
  abort(): void {
    void this.#writer?.abort();
  }
}
