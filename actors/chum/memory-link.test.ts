import { describe, expect, it } from 'vitest';
import { MemoryLink } from './memory-link.ts';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('MemoryLink', () => {
  it('delivers in order on its own, and the close behind the data', async () => {
    const link = new MemoryLink();
    const got: number[] = [];
    const closed: string[] = [];
    link.b.onMessage((body) => got.push(body[0]!));
    link.b.onClose((reason) => closed.push(reason));
    link.a.send(bytes(1));
    link.a.send(bytes(2));
    link.a.close('bye');
    link.a.send(bytes(3));
    await Promise.resolve();
    await Promise.resolve();
    expect(got).toEqual([1, 2]);
    expect(closed).toEqual(['bye']);
  });

  it('lets a test drop, duplicate and reorder frames, and cut the link', () => {
    const fates = ['drop', 'duplicate', 'deliver'] as const;
    const link = new MemoryLink({ manual: true, fault: (frame) => fates[frame.index]! });
    const got: number[] = [];
    link.b.onMessage((body) => got.push(body[0]!));
    for (const value of [1, 2, 3]) link.a.send(bytes(value));
    expect(link.sent.a.map((b) => b[0])).toEqual([1, 2, 3]);
    expect(link.inTransit).toHaveLength(3);
    link.deliver(2);
    link.deliver(0);
    expect(got).toEqual([3, 2]);
    link.cut('down');
    expect(link.deliver()).toBe(false);
    expect(link.closed).toBe('down');
    expect(got).toEqual([3, 2]);
  });
});
