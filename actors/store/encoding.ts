import * as dagCbor from '@ipld/dag-cbor';
import type { LamaObject } from './recipes.ts';
import { StoreError } from './store-error.ts';

/**
 * The one byte form of an object (specs/objects.md §3): DAG-CBOR — deterministic CBOR with map keys
 * sorted length-first then bytewise, shortest integer forms, 64-bit floats, no undefined, no
 * duplicate keys. Decoding is strict, so a non-canonical byte string is refused rather than
 * silently re-encoded to a different hash.
 */
export const MAX_OBJECT_BYTES = 1024 * 1024;

export function encodeObject(object: LamaObject): Uint8Array {
  const bytes = dagCbor.encode(object);
  if (bytes.byteLength > MAX_OBJECT_BYTES) {
    throw new StoreError('TOO_LARGE', `${object.$type$} encodes to ${bytes.byteLength} bytes, over the ${MAX_OBJECT_BYTES}-byte limit; store large data as a BLOB`);
  }
  return bytes;
}

/**
 * Decodes stored bytes; `hash` only names the object in the error. With `canonical`, bytes that
 * decode but are not the one canonical form (unsorted keys, a float where an integer belongs, …)
 * are refused: an object arriving from a peer must have exactly one address.
 */
export function decodeObject(bytes: Uint8Array, hash: string, options: { canonical?: boolean } = {}): LamaObject {
  let value: unknown;
  try {
    value = dagCbor.decode(bytes);
  } catch (error) {
    throw new StoreError('CORRUPT', `object ${hash} does not decode: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || typeof (value as { $type$?: unknown }).$type$ !== 'string') {
    throw new StoreError('CORRUPT', `object ${hash} decodes to something without a $type$`);
  }
  if (options.canonical && !sameBytes(dagCbor.encode(value), bytes)) {
    throw new StoreError('CORRUPT', `object ${hash} is not in canonical DAG-CBOR form`);
  }
  return value as LamaObject;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  // Node's native compare where there is one (a byte loop costs ~9 µs per 1 KiB object there).
  const NodeBuffer = (globalThis as { Buffer?: { compare(x: Uint8Array, y: Uint8Array): number } }).Buffer;
  if (NodeBuffer) return NodeBuffer.compare(a, b) === 0;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
