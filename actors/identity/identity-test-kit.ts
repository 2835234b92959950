import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { MemoryStorage } from '../store/memory-storage.ts';
import { ObjectStore } from '../store/object-store.ts';
import type { StorageAdapter } from '../store/storage-adapter.ts';
import { IDENTITY_RECIPES } from './identity-recipes.ts';

/** scrypt at a test cost: the real parameters are exercised once, in identity.node.test.ts. */
export const TEST_KDF = { N: 2 ** 10, r: 8, p: 1 } as const;

export function identityStore(crypto: CryptoProvider, adapter: StorageAdapter = new MemoryStorage()): ObjectStore {
  return new ObjectStore({ adapter, hasher: crypto, recipes: IDENTITY_RECIPES });
}
