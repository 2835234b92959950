import * as dagCbor from '@ipld/dag-cbor';
import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { Cursor } from './messages.ts';

/**
 * CHUM's local records (specs/chum.md §5.1), kept in the store's local secrets, which are never
 * synced: a random id for this store — arrival numbers mean something only within one store, and a
 * store that is reset or restored gets a new one — and, per peer Instance, the cursor this side
 * holds for that peer's store: everything it offered up to that arrival number is handled here.
 */
const STORE_ID = 'chum/store-id';
const cursorName = (peerInstance: SHA256Hash) => `chum/cursor/${peerInstance}`;

const storeIds = new WeakMap<ObjectStore, Promise<string>>();

export function storeIdOf(store: ObjectStore): Promise<string> {
  let id = storeIds.get(store);
  if (!id) {
    id = (async () => {
      const stored = await store.adapter.getSecret(STORE_ID);
      if (stored) return new TextDecoder().decode(stored);
      const fresh = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
      await store.commit({ secrets: [{ name: STORE_ID, value: new TextEncoder().encode(fresh) }] });
      return fresh;
    })();
    storeIds.set(store, id);
  }
  return id;
}

export async function loadCursor(store: ObjectStore, peerInstance: SHA256Hash): Promise<Cursor | undefined> {
  const stored = await store.adapter.getSecret(cursorName(peerInstance));
  if (!stored) return undefined;
  const { store: id, seq } = dagCbor.decode(stored) as Cursor;
  return { store: id, seq };
}

export async function saveCursor(store: ObjectStore, peerInstance: SHA256Hash, cursor: Cursor): Promise<void> {
  await store.commit({ secrets: [{ name: cursorName(peerInstance), value: dagCbor.encode({ store: cursor.store, seq: cursor.seq }) }] });
}
