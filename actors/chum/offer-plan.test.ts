import { describe, expect, it } from 'vitest';
import type { SHA256Hash } from '../store/hash.ts';
import { MAX_OFFER_ITEMS, type OfferItem } from './messages.ts';
import { offersOf } from './offer-plan.ts';

const h = (n: number) => n.toString(16).padStart(64, '0') as SHA256Hash;
const object = (seq: number): OfferItem & { seq: number } => ({ hash: h(seq), kind: 'object', size: 10, type: 'Note', seq });

describe('cutting a round into offers', () => {
  it('orders objects by arrival, puts BLOBs last, and says how far each offer completes the round', () => {
    const objects = Array.from({ length: MAX_OFFER_ITEMS + 5 }, (_, i) => object(3 * (MAX_OFFER_ITEMS + 5 - i)));
    const blob: OfferItem = { hash: h(1), kind: 'blob', size: 1000 };
    const offers = offersOf(objects, [blob], 10_000);
    expect(offers).toHaveLength(2);
    const [first, second] = offers;
    expect(first!.items.map((i) => i.hash)).toEqual(Array.from({ length: MAX_OFFER_ITEMS }, (_, i) => h(3 * (i + 1))));
    expect(first!.through).toBe(3 * MAX_OFFER_ITEMS);
    expect(first!.round).toEqual({ objects: MAX_OFFER_ITEMS + 6, bytes: 10 * (MAX_OFFER_ITEMS + 5) + 1000 });
    expect(second!.items.at(-1)).toEqual(blob);
    expect(second!.through).toBe(10_000);
    expect(second!.round).toBeUndefined();
  });

  it('never claims past the mark the round began at', () => {
    const offers = offersOf(Array.from({ length: MAX_OFFER_ITEMS + 1 }, (_, i) => object(i + 100)), [], 50);
    expect(offers.map((o) => o.through)).toEqual([50, 50]);
  });

  it('makes one empty offer of an empty round', () => {
    expect(offersOf([], [], 9)).toEqual([{ t: 'offer', items: [], through: 9, round: { objects: 0, bytes: 0 } }]);
  });
});
