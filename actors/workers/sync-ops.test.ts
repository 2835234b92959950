import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nobleCrypto as crypto } from '../crypto/noble-crypto.ts';
import { detachedTask } from './ops.ts';
import { BadRequestError } from './protocol.ts';
import { diffSorted, syncOps } from './sync-ops.ts';

const ops = syncOps(crypto);
const noTransfer = () => {};

describe('sync worker ops', () => {
  it('hashBatch gives each item’s SHA-256 in hex', () => {
    const items = [new Uint8Array(0), new TextEncoder().encode('abc')];
    expect(ops.hashBatch({ items }, noTransfer, detachedTask)).toEqual([
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    ]);
  });

  it('diff agrees with set difference on any two strictly ascending lists', () => {
    const sortedSet = fc.uniqueArray(fc.string({ maxLength: 3 }), { maxLength: 30 }).map((xs) => [...xs].sort());
    fc.assert(
      fc.property(sortedSet, sortedSet, (ours, theirs) => {
        expect(diffSorted(ours, theirs)).toEqual({
          theyLack: ours.filter((h) => !theirs.includes(h)),
          weLack: theirs.filter((h) => !ours.includes(h)),
        });
      }),
    );
  });

  it('refuses lists that are not strictly ascending rather than answering wrongly', () => {
    expect(() => ops.diff({ ours: ['b', 'a'], theirs: [] }, noTransfer, detachedTask)).toThrow(BadRequestError);
    expect(() => ops.diff({ ours: [], theirs: ['a', 'a'] }, noTransfer, detachedTask)).toThrow('theirs must be strictly ascending (index 1)');
  });
});
