import { describe, expect, it } from 'vitest';
import type { SHA256Hash } from '../store/hash.ts';
import { ArrivalHeap } from './arrival-heap.ts';

const h = (n: number) => n.toString(16).padStart(64, '0') as SHA256Hash;

describe('the arrival heap', () => {
  it('gives objects back smallest arrival number first, however they went in', () => {
    const heap = new ArrivalHeap();
    const seqs = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1009);
    for (const seq of seqs) heap.push(seq, h(seq));
    const out: SHA256Hash[] = [];
    for (let i = 0; i < 200; i++) out.push(heap.pop()!);
    for (const seq of [3, 1, 2000]) heap.push(seq, h(seq));
    while (heap.size > 0) out.push(heap.pop()!);
    const expected = [...seqs].sort((a, b) => a - b);
    expect(out.slice(0, 200)).toEqual(expected.slice(0, 200).map(h));
    expect(out.slice(200)).toEqual([...expected.slice(200), 3, 1, 2000].sort((a, b) => a - b).map(h));
    expect(heap.pop()).toBeUndefined();
  });

  it('drains what is left', () => {
    const heap = new ArrivalHeap();
    for (const seq of [5, 2, 9]) heap.push(seq, h(seq));
    expect(heap.pop()).toBe(h(2));
    expect(heap.drain().sort()).toEqual([h(5), h(9)]);
    expect(heap.size).toBe(0);
  });
});
