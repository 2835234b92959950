import { describe, expect, it } from 'vitest';
import { WantQueue } from './want-queue.ts';

describe('WantQueue', () => {
  it('is first in, first out, with unshift in front, across compactions', () => {
    const queue = new WantQueue<number>();
    const expected: number[] = [];
    for (let i = 0; i < 5000; i++) queue.push(i);
    for (let i = 0; i < 3000; i++) expect(queue.shift()).toBe(i);
    queue.unshift(-1);
    queue.unshift(-2);
    expected.push(-2, -1);
    for (let i = 3000; i < 5000; i++) expected.push(i);
    expect(queue.length).toBe(expected.length);
    const out: number[] = [];
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) out.push(item);
    expect(out).toEqual(expected);
    queue.unshift(7);
    expect([queue.shift(), queue.shift()]).toEqual([7, undefined]);
  });
});
