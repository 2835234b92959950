import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { MemoryStorage } from './memory-storage.ts';
import { runStorageAdapterTests } from './storage-adapter-tests.ts';

const hasher = {
  sha256Hex: (data: Uint8Array) => bytesToHex(sha256(data)),
  createSha256: () => {
    const h = sha256.create();
    return { update: (chunk: Uint8Array) => void h.update(chunk), digestHex: () => bytesToHex(h.digest()) };
  },
};

runStorageAdapterTests(async () => ({ adapter: new MemoryStorage(), hasher, teardown: async () => undefined }), 'memory', { persistent: false });
