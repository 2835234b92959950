import { describe, expect, it } from 'vitest';
import type { SHA256Hash } from './hash.ts';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { MemoryStorage } from './memory-storage.ts';
import { runStorageAdapterTests } from './storage-adapter-tests.ts';

const hasher = nobleCrypto;

runStorageAdapterTests(async () => ({ adapter: new MemoryStorage(), hasher, teardown: async () => undefined }), 'memory', { persistent: false });

describe('MemoryStorage on its own', () => {
  it('applies nothing of a batch when one of its buffers cannot be copied', async () => {
    const adapter = new MemoryStorage();
    const detached = new Uint8Array(4);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    const hash = 'a'.repeat(64) as SHA256Hash;
    const batch = { objects: [{ hash, type: 'Note', bytes: new Uint8Array([1]) }], heads: [{ idHash: hash, heads: [hash] }], secrets: [{ name: 's', value: detached }] };
    await expect(adapter.write(batch)).rejects.toThrow(TypeError);
    expect(await adapter.hasObjects([hash])).toEqual([false]);
    expect(await adapter.getHeads(hash)).toEqual([]);
  });
});
