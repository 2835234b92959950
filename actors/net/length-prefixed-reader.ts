import { ChannelError } from './channel-error.ts';

export const LENGTH_PREFIX_BYTES = 4;

/** `message` behind its 4-byte big-endian length: how every message crosses the wire. */
export function lengthPrefixed(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(LENGTH_PREFIX_BYTES + message.length);
  new DataView(out.buffer).setUint32(0, message.length);
  out.set(message, LENGTH_PREFIX_BYTES);
  return out;
}

/**
 * Reassembles length-prefixed messages from a byte stream cut at arbitrary points. Chunks are kept
 * as they came and a message is returned as a view into its chunk when it lies within one (the
 * common case), so a message is copied only when it straddles chunks. Chunks are held by
 * reference: a caller must not reuse a buffer it has pushed.
 */
export class LengthPrefixedReader {
  #chunks: Uint8Array[] = [];
  /** Bytes of the first chunk already consumed. */
  #offset = 0;
  #buffered = 0;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
  }

  /** Bytes received and not yet returned as a message: non-zero at the end of a stream means it was cut. */
  get buffered(): number {
    return this.#buffered;
  }

  /**
   * The next whole message, or undefined until its last byte has arrived. A prefix announcing more
   * than `maxLength` throws OVERSIZED as soon as the prefix is complete, before anything is
   * allocated for the message.
   */
  next(maxLength: number): Uint8Array | undefined {
    if (this.#buffered < LENGTH_PREFIX_BYTES) return undefined;
    const prefix = this.#peek(LENGTH_PREFIX_BYTES);
    const length = new DataView(prefix.buffer, prefix.byteOffset, LENGTH_PREFIX_BYTES).getUint32(0);
    if (length > maxLength) throw new ChannelError('OVERSIZED', `a message of ${length} bytes announced; at most ${maxLength} allowed here`);
    if (this.#buffered < LENGTH_PREFIX_BYTES + length) return undefined;
    this.#consume(LENGTH_PREFIX_BYTES);
    const message = this.#peek(length);
    this.#consume(length);
    return message;
  }

  /** The next `length` buffered bytes: a view when they lie in the first chunk, else a copy. */
  #peek(length: number): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    const first = this.#chunks[0]!;
    if (first.length - this.#offset >= length) return first.subarray(this.#offset, this.#offset + length);
    const out = new Uint8Array(length);
    let filled = 0;
    let offset = this.#offset;
    for (const chunk of this.#chunks) {
      const part = chunk.subarray(offset, offset + length - filled);
      out.set(part, filled);
      filled += part.length;
      offset = 0;
      if (filled === length) break;
    }
    return out;
  }

  #consume(length: number): void {
    this.#buffered -= length;
    let remaining = length;
    while (remaining > 0) {
      const available = this.#chunks[0]!.length - this.#offset;
      if (available > remaining) {
        this.#offset += remaining;
        return;
      }
      remaining -= available;
      this.#chunks.shift();
      this.#offset = 0;
    }
  }
}
