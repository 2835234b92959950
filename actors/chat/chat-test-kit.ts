import { APP_RECIPES } from '../app-recipes.ts';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { createIdentity } from '../identity/identity.ts';
import { TEST_KDF } from '../identity/identity-test-kit.ts';
import { MemoryStorage } from '../store/memory-storage.ts';
import { ObjectStore } from '../store/object-store.ts';
import type { StorageAdapter } from '../store/storage-adapter.ts';
import { Chat, type ChatOptions } from './chat.ts';

/** A user with a real identity (so messages are really signed) over a store of the app's recipes. */
export async function chatUser(name: string, options: { adapter?: StorageAdapter; now?: () => number; fetchMissing?: ChatOptions['fetchMissing'] } = {}) {
  const store = new ObjectStore({ adapter: options.adapter ?? new MemoryStorage(), hasher: nobleCrypto, recipes: APP_RECIPES, ...(options.now ? { now: options.now } : {}) });
  const identity = await createIdentity(store, nobleCrypto, { name, instanceName: `${name}'s instance`, passphrase: 'pass phrase', kdf: TEST_KDF });
  const chat = new Chat({ store, identity, ...options });
  return { store, identity, chat, person: identity.personId, instance: identity.instanceId };
}
