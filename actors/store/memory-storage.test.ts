import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { MemoryStorage } from './memory-storage.ts';
import { runStorageAdapterTests } from './storage-adapter-tests.ts';

const hasher = nobleCrypto;

runStorageAdapterTests(async () => ({ adapter: new MemoryStorage(), hasher, teardown: async () => undefined }), 'memory', { persistent: false });
