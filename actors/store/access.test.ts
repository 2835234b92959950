import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { describe, expect, it } from 'vitest';
import { accessibleBy, setAccess } from './access.ts';
import type { SHA256Hash } from './hash.ts';
import { MemoryStorage } from './memory-storage.ts';
import { ObjectStore } from './object-store.ts';
import type { LamaObject } from './recipes.ts';
import { NoteRecipe, SettingRecipe } from './storage-adapter-tests.ts';

const hasher = nobleCrypto;
const alice = 'a'.repeat(64) as SHA256Hash;
const bob = 'b'.repeat(64) as SHA256Hash;
const family = 'f'.repeat(64) as SHA256Hash;

function newStore() {
  return new ObjectStore({ adapter: new MemoryStorage(), hasher, recipes: [NoteRecipe, SettingRecipe] });
}

describe('access grants', () => {
  it('answers what a person may see, directly or through a group', async () => {
    const store = newStore();
    const note = await store.put({ $type$: 'Note', text: 'for alice' } as LamaObject);
    const shared = await store.put({ $type$: 'Note', text: 'for the family' } as LamaObject);
    const setting = await store.putVersioned({ $type$: 'Setting', key: 'k', value: 'v' } as LamaObject);
    await setAccess(store, { object: note }, { persons: [alice] });
    await setAccess(store, { object: shared }, { groups: [family] });
    await setAccess(store, { id: setting.idHash }, { persons: [alice, bob] });

    expect(await accessibleBy(store, [alice])).toEqual({ objects: [note], ids: [setting.idHash] });
    expect(await accessibleBy(store, [bob, family])).toEqual({ objects: [shared], ids: [setting.idHash] });
    expect(await accessibleBy(store, ['c'.repeat(64) as SHA256Hash])).toEqual({ objects: [], ids: [] });
  });

  it('revokes by writing a new grant version', async () => {
    const store = newStore();
    const note = await store.put({ $type$: 'Note', text: 'secret' } as LamaObject);
    await setAccess(store, { object: note }, { persons: [alice, bob] });
    await setAccess(store, { object: note }, { persons: [alice] });
    expect((await accessibleBy(store, [bob])).objects).toEqual([]);
    expect((await accessibleBy(store, [alice])).objects).toEqual([note]);
  });
});
