import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { DialingPeer } from '../federation/dialing-peer.ts';
import { IDENTITY_RECIPES } from '../identity/identity-recipes.ts';
import { connectWebSocket } from '../net/ws-client.dom.ts';
import { IndexedDbStorage } from '../store/indexeddb-storage.dom.ts';
import { ObjectStore } from '../store/object-store.ts';

/**
 * The browser instance (DESIGN.md §1): its own user in its own sparse IndexedDB store, federating
 * with the Node instance over the browser's WebSocket and the @noble crypto provider.
 */
export async function openBrowserInstance(name = 'lama-browser'): Promise<DialingPeer> {
  const store = new ObjectStore({ adapter: await IndexedDbStorage.open(name), hasher: nobleCrypto, recipes: IDENTITY_RECIPES });
  return new DialingPeer({ store, crypto: nobleCrypto, instanceName: 'browser', dial: (url) => connectWebSocket(url) });
}
