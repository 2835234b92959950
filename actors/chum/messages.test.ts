import * as dagCbor from '@ipld/dag-cbor';
import { describe, expect, it } from 'vitest';
import type { SHA256Hash } from '../store/hash.ts';
import { isChumError } from './chum-error.ts';
import { decodeMessage, encodeMessage, MAX_MESSAGE_BYTES, MAX_OFFER_ITEMS, MAX_WANT_HASHES, type Message } from './messages.ts';

const h = (digit: string) => digit.repeat(64) as SHA256Hash;
const refused = (body: Uint8Array, code = 'PROTOCOL') => {
  try {
    decodeMessage(body);
  } catch (error) {
    expect(isChumError(error, code as never), String(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('CHUM messages', () => {
  it('round-trip every message type', () => {
    const messages: Message[] = [
      { t: 'hello', v: 2, store: '0'.repeat(32), cursor: { store: 'f'.repeat(32), seq: 42 } },
      { t: 'hello', v: 2, store: 'a'.repeat(32) },
      { t: 'offer', items: [{ hash: h('a'), kind: 'object', size: 10, type: 'Note' }, { hash: h('b'), kind: 'blob', size: 0 }], through: 7, round: { objects: 2, bytes: 10 } },
      { t: 'offer', items: [] },
      { t: 'synced' },
      { t: 'ack', n: 3 },
      { t: 'want', w: 1, o: [h('c'), h('d')] },
      { t: 'wantChunk', w: 2, b: h('e'), i: 4 },
      { t: 'objects', w: 1, o: [new Uint8Array([1, 2]), null] },
      { t: 'chunk', w: 2, d: new Uint8Array([9]), end: true },
      { t: 'chunk', w: 3 },
      { t: 'error', code: 'HASH_MISMATCH', message: 'bad bytes' },
    ];
    for (const message of messages) expect(decodeMessage(encodeMessage(message))).toEqual(message);
  });

  it('sends hashes as 32 raw bytes', () => {
    const hash = '0123456789abcdef'.repeat(4) as SHA256Hash;
    const wire = dagCbor.decode(encodeMessage({ t: 'want', w: 1, o: [h('a'), hash] })) as { o: Uint8Array[] };
    expect(wire.o[0]).toEqual(new Uint8Array(32).fill(0xaa));
    expect(wire.o[1]).toEqual(Uint8Array.from({ length: 32 }, (_, i) => [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef][i % 8]!));
  });

  it('will not send what is not a lowercase hex hash', () => {
    for (const bad of ['A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), `${'a'.repeat(63)}g`, `${'a'.repeat(62)}:0`]) {
      expect(() => encodeMessage({ t: 'want', w: 1, o: [bad as SHA256Hash] })).toThrow(TypeError);
    }
  });

  it('refuses what is not a well-formed message, naming the field', () => {
    expect(refused(dagCbor.encode({ t: 'ack', n: -1 }))).toContain('ack');
    expect(refused(dagCbor.encode({ t: 'ack', n: 1, extra: true }))).toContain('extra');
    expect(refused(dagCbor.encode({ t: 'teleport' }))).toContain('teleport');
    expect(refused(dagCbor.encode([1, 2]))).toContain('not a map');
    expect(refused(new Uint8Array([0xff]))).toContain('decode');
    expect(refused(dagCbor.encode({ t: 'want', w: 1, o: [new Uint8Array(31)] }))).toContain('32-byte');
    expect(refused(dagCbor.encode({ t: 'want', w: 1, o: [] }))).toContain('no hashes');
    expect(refused(dagCbor.encode({ t: 'hello', v: 2, store: 'short' }))).toContain('store');
    expect(refused(dagCbor.encode({ t: 'offer', items: [{ h: new Uint8Array(32), k: 'b', n: 1, y: 'Note' }] }))).toContain('BLOB');
    expect(refused(dagCbor.encode({ t: 'chunk', w: 1, end: false }))).toContain('end');
    expect(refused(dagCbor.encode({ t: 'objects', w: 1, o: ['text'] }))).toContain('bytes');
  });

  it('refuses lists over their limits and messages over the size limit', () => {
    const item = { h: new Uint8Array(32), k: 'b', n: 1 };
    expect(refused(dagCbor.encode({ t: 'offer', items: Array(MAX_OFFER_ITEMS + 1).fill(item) }))).toContain(`at most ${MAX_OFFER_ITEMS}`);
    expect(refused(dagCbor.encode({ t: 'want', w: 1, o: Array(MAX_WANT_HASHES + 1).fill(new Uint8Array(32)) }))).toContain(`at most ${MAX_WANT_HASHES}`);
    refused(new Uint8Array(MAX_MESSAGE_BYTES + 1), 'OVERSIZED');
  });
});
