import * as dagCbor from '@ipld/dag-cbor';
import { bytesToHex, type SHA256Hash } from '../store/hash.ts';
import { ChumError } from './chum-error.ts';

/**
 * The CHUM wire messages (specs/chum.md §3): each one DAG-CBOR map with a type `t`. Hashes travel
 * as 32 raw bytes; here they are the usual hex strings. `decodeMessage` checks every field, so the
 * engine only ever sees well-formed messages — anything else is a PROTOCOL error.
 */
/** 2: a first round may be offered while it is walked, and WANT_WINDOW went from 4 to 16 (specs/chum.md §1). */
export const PROTOCOL_VERSION = 2;
/** The secure channel's largest body; nothing CHUM sends is larger. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
export const MAX_OFFER_ITEMS = 1024;
/** Offers a sender may have unacknowledged. */
export const OFFER_WINDOW = 4;
export const MAX_WANT_HASHES = 64;
/**
 * Wants a receiver may have unanswered: ~1,000 objects on their way keep the sender serving while
 * the receiver stores a batch (4 left it idle for most of each write).
 */
export const WANT_WINDOW = 16;
/** A sender stops adding objects to a reply once they pass this (a reply always holds at least one). */
export const REPLY_BUDGET_BYTES = 1024 * 1024;
/** Every BLOB chunk but the last is exactly this long. */
export const CHUNK_BYTES = 256 * 1024;
export const MAX_TYPE_LENGTH = 200;
export const MAX_ERROR_TEXT = 1000;

export interface Cursor {
  /** The store the sequence number belongs to (the sender's store id). */
  readonly store: string;
  readonly seq: number;
}

export type ItemKind = 'object' | 'blob';

export interface OfferItem {
  readonly hash: SHA256Hash;
  readonly kind: ItemKind;
  /** Bytes: the encoded object, or the whole BLOB. */
  readonly size: number;
  /** The object's $type$ (absent for BLOBs): what a sparse receiver decides on. */
  readonly type?: string;
}

export type Message =
  | { readonly t: 'hello'; readonly v: number; readonly store: string; readonly cursor?: Cursor }
  | {
      readonly t: 'offer';
      readonly items: readonly OfferItem[];
      readonly through?: number;
      readonly round?: { readonly objects: number; readonly bytes: number };
    }
  | { readonly t: 'synced' }
  | { readonly t: 'ack'; readonly n: number }
  | { readonly t: 'want'; readonly w: number; readonly o: readonly SHA256Hash[] }
  | { readonly t: 'wantChunk'; readonly w: number; readonly b: SHA256Hash; readonly i: number }
  | { readonly t: 'objects'; readonly w: number; readonly o: readonly (Uint8Array | null)[] }
  | { readonly t: 'chunk'; readonly w: number; readonly d?: Uint8Array; readonly end?: boolean }
  | { readonly t: 'error'; readonly code: string; readonly message: string };

export type MessageOf<T extends Message['t']> = Extract<Message, { t: T }>;

type Wire = Record<string, unknown>;

const STORE_ID = /^[0-9a-f]{32}$/;

export function encodeMessage(message: Message): Uint8Array {
  const wire: Wire = { ...message };
  switch (message.t) {
    case 'offer':
      wire.items = message.items.map((item) => {
        const entry: Wire = { h: hashBytes(item.hash), k: item.kind === 'object' ? 'o' : 'b', n: item.size };
        if (item.type !== undefined) entry.y = item.type;
        return entry;
      });
      break;
    case 'want':
      wire.o = message.o.map(hashBytes);
      break;
    case 'wantChunk':
      wire.b = hashBytes(message.b);
      break;
    default:
      break;
  }
  for (const key of Object.keys(wire)) if (wire[key] === undefined) delete wire[key];
  return dagCbor.encode(wire);
}

export function decodeMessage(body: Uint8Array): Message {
  if (body.byteLength > MAX_MESSAGE_BYTES) throw new ChumError('OVERSIZED', `a message of ${body.byteLength} bytes; at most ${MAX_MESSAGE_BYTES}`);
  let wire: unknown;
  try {
    wire = dagCbor.decode(body);
  } catch (error) {
    throw new ChumError('PROTOCOL', `a message that does not decode: ${(error as Error).message}`);
  }
  if (!isRecord(wire)) throw new ChumError('PROTOCOL', 'a message that is not a map');
  const t = new Reader(wire).string('t');
  const m = new Reader(wire, t.slice(0, 40));
  switch (t) {
    case 'hello': {
      m.only('t', 'v', 'store', 'cursor');
      const cursor = m.optional('cursor', (value) => {
        const c = new Reader(record(value, 'hello.cursor'), 'hello.cursor');
        c.only('store', 'seq');
        return { store: c.match('store', STORE_ID), seq: c.count('seq') };
      });
      return { t, v: m.count('v'), store: m.match('store', STORE_ID), ...(cursor ? { cursor } : {}) };
    }
    case 'offer': {
      m.only('t', 'items', 'through', 'round');
      const items = m.list('items', MAX_OFFER_ITEMS).map((value, i) => offerItem(value, i));
      const through = m.optional('through', () => m.count('through'));
      const round = m.optional('round', (value) => {
        const r = new Reader(record(value, 'offer.round'), 'offer.round');
        r.only('objects', 'bytes');
        return { objects: r.count('objects'), bytes: r.count('bytes') };
      });
      return { t, items, ...(through !== undefined ? { through } : {}), ...(round ? { round } : {}) };
    }
    case 'synced':
      m.only('t');
      return { t };
    case 'ack':
      m.only('t', 'n');
      return { t, n: m.count('n') };
    case 'want': {
      m.only('t', 'w', 'o');
      const o = m.list('o', MAX_WANT_HASHES).map((value, i) => hashOf(value, `want.o[${i}]`));
      if (o.length === 0) throw new ChumError('PROTOCOL', 'a want of no hashes');
      return { t, w: m.count('w'), o };
    }
    case 'wantChunk':
      m.only('t', 'w', 'b', 'i');
      return { t, w: m.count('w'), b: hashOf(wire.b, 'wantChunk.b'), i: m.count('i') };
    case 'objects': {
      m.only('t', 'w', 'o');
      const o = m.list('o', MAX_WANT_HASHES).map((value, i) => {
        if (value === null || value instanceof Uint8Array) return value;
        throw new ChumError('PROTOCOL', `objects.o[${i}] is neither bytes nor null`);
      });
      return { t, w: m.count('w'), o };
    }
    case 'chunk': {
      m.only('t', 'w', 'd', 'end');
      const d = m.optional('d', (value) => {
        if (!(value instanceof Uint8Array)) throw new ChumError('PROTOCOL', 'chunk.d is not bytes');
        return value;
      });
      const end = m.optional('end', (value) => {
        if (value !== true) throw new ChumError('PROTOCOL', 'chunk.end is not true');
        return true as const;
      });
      return { t, w: m.count('w'), ...(d ? { d } : {}), ...(end ? { end } : {}) };
    }
    case 'error':
      m.only('t', 'code', 'message');
      return { t, code: m.string('code', 64), message: m.string('message', MAX_ERROR_TEXT) };
    default:
      throw new ChumError('PROTOCOL', `unknown message type ${JSON.stringify(t.slice(0, 40))}`);
  }
}

function offerItem(value: unknown, i: number): OfferItem {
  const r = new Reader(record(value, `offer.items[${i}]`), `offer.items[${i}]`);
  r.only('h', 'k', 'n', 'y');
  const kind = r.string('k');
  if (kind !== 'o' && kind !== 'b') throw new ChumError('PROTOCOL', `offer.items[${i}].k is neither "o" nor "b"`);
  const type = r.optional('y', () => r.string('y', MAX_TYPE_LENGTH));
  if ((kind === 'o') !== (type !== undefined)) throw new ChumError('PROTOCOL', `offer.items[${i}]: an object has a type, a BLOB none`);
  return { hash: hashOf(r.raw('h'), `offer.items[${i}].h`), kind: kind === 'o' ? 'object' : 'blob', size: r.count('n'), ...(type !== undefined ? { type } : {}) };
}

/** Field access that names the field in every refusal. */
class Reader {
  constructor(
    readonly wire: Wire,
    readonly name = 'message',
  ) {}

  only(...keys: string[]): void {
    for (const key of Object.keys(this.wire)) if (!keys.includes(key)) throw new ChumError('PROTOCOL', `${this.name} has an unknown field ${JSON.stringify(key.slice(0, 40))}`);
  }

  raw(key: string): unknown {
    return this.wire[key];
  }

  string(key: string, max = 64): string {
    const value = this.wire[key];
    if (typeof value !== 'string' || value.length === 0 || value.length > max) throw new ChumError('PROTOCOL', `${this.name}.${key} must be a string of 1..${max} characters`);
    return value;
  }

  match(key: string, pattern: RegExp): string {
    const value = this.wire[key];
    if (typeof value !== 'string' || !pattern.test(value)) throw new ChumError('PROTOCOL', `${this.name}.${key} is malformed`);
    return value;
  }

  count(key: string): number {
    const value = this.wire[key];
    if (!Number.isSafeInteger(value) || (value as number) < 0) throw new ChumError('PROTOCOL', `${this.name}.${key} must be a whole number ≥ 0`);
    return value as number;
  }

  list(key: string, max: number): unknown[] {
    const value = this.wire[key];
    if (!Array.isArray(value)) throw new ChumError('PROTOCOL', `${this.name}.${key} must be a list`);
    if (value.length > max) throw new ChumError('PROTOCOL', `${this.name}.${key} has ${value.length} entries; at most ${max}`);
    return value;
  }

  optional<T>(key: string, read: (value: unknown) => T): T | undefined {
    return this.wire[key] === undefined ? undefined : read(this.wire[key]);
  }
}

function record(value: unknown, name: string): Wire {
  if (!isRecord(value)) throw new ChumError('PROTOCOL', `${name} must be a map`);
  return value;
}

function isRecord(value: unknown): value is Wire {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function hashOf(value: unknown, name: string): SHA256Hash {
  if (!(value instanceof Uint8Array) || value.byteLength !== 32) throw new ChumError('PROTOCOL', `${name} must be a 32-byte hash`);
  return bytesToHex(value) as SHA256Hash;
}

/** Each character code's hex value; -1 for anything but 0-9 and a-f (a hash is lowercase). */
const HEX_VALUES = Int8Array.from({ length: 128 }, (_, code) => (code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1));

/** A hex hash as its 32 bytes; one pass checks and converts (a want names 64, an offer 1,024). */
function hashBytes(hash: SHA256Hash): Uint8Array {
  const bytes = new Uint8Array(32);
  let bad = hash.length !== 64;
  for (let i = 0; i < 32 && !bad; i++) {
    const high = HEX_VALUES[hash.charCodeAt(2 * i)] ?? -1;
    const low = HEX_VALUES[hash.charCodeAt(2 * i + 1)] ?? -1;
    bad = high < 0 || low < 0;
    bytes[i] = (high << 4) | low;
  }
  if (bad) throw new TypeError(`not a SHA-256 hash: ${hash}`);
  return bytes;
}
