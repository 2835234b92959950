import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { MemoryStorage } from './memory-storage.ts';
import { ObjectStore } from './object-store.ts';
import type { LamaObject, Recipe } from './recipes.ts';

/**
 * Version nodes imported many at a time (one write, CHUM's case) leave the same heads as the same
 * nodes imported one by one, in any order and split into any batches.
 */
const NoteRecipe: Recipe = { name: 'Note', fields: { title: { type: { kind: 'string' }, identity: true }, text: { type: { kind: 'string' } } } };
const store = () => new ObjectStore({ adapter: new MemoryStorage(), hasher: nobleCrypto, recipes: [NoteRecipe] });
const note = (text: string) => ({ $type$: 'Note', title: 'shared', text }) as LamaObject;

/** A history with forks and merges: three writers, each writing on what it has seen. */
async function forkedHistory(): Promise<{ source: ObjectStore; encoded: Uint8Array[]; idHash: string }> {
  const a = store();
  const b = store();
  const c = store();
  const copy = async (from: ObjectStore, to: ObjectStore) => {
    const arrivals = await from.adapter.arrivalsAfter(0, 1e9);
    const bytes = await from.adapter.getObjects(arrivals.map((x) => x.hash));
    for (const one of bytes) await to.importMany([one!]);
  };
  await a.putVersioned(note('a1'));
  await copy(a, b);
  await copy(a, c);
  await a.putVersioned(note('a2'));
  await b.putVersioned(note('b1'));
  await c.putVersioned(note('c1'));
  await copy(b, a);
  await a.putVersioned(note('merge a+b'));
  await copy(c, a);
  await c.putVersioned(note('c2'));
  await copy(c, a);
  const arrivals = await a.adapter.arrivalsAfter(0, 1e9);
  const encoded = (await a.adapter.getObjects(arrivals.map((x) => x.hash))).map((x) => x!);
  return { source: a, encoded, idHash: a.idHashOf(note('')) };
}

describe('importing version nodes in batches', () => {
  it('leaves the heads that one-by-one imports leave, whatever the order and batching', async () => {
    const { source, encoded, idHash } = await forkedHistory();
    const expected = [...(await source.getHeads(idHash as never))].sort();
    expect(expected.length).toBe(2); // the fork of c2 and the merge is still open
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(encoded.map((_, i) => i), { minLength: encoded.length }), fc.integer({ min: 1, max: encoded.length }), async (order, batch) => {
        const target = store();
        const shuffled = order.map((i) => encoded[i]!);
        // Plain objects first would be the same; mixing them in tests the batch path fully.
        for (let i = 0; i < shuffled.length; i += batch) await target.importMany(shuffled.slice(i, i + batch));
        expect([...(await target.getHeads(idHash as never))].sort()).toEqual(expected);
      }),
      { seed: 7, numRuns: 60 },
    );
  });
});
