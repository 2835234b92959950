import { openDB, type IDBPDatabase } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectChunks } from './collect-chunks.ts';
import type { SHA256Hash } from './hash.ts';
import { IndexedDbStorage } from './indexeddb-storage.dom.ts';
import type { ReferenceEntry, StoredObject } from './storage-adapter.ts';

/**
 * Version 2 → 3: a database written with the version 2 layout (its schema and write path copied
 * below from the adapter as it was) opens with the current adapter with every object, sequence
 * number, reference, head, secret and BLOB as it was.
 */

// ---- The version 2 layout, as indexeddb-storage.dom.ts had it (commit 38637b1). ----

type V2Db = IDBPDatabase;

async function openV2(name: string): Promise<V2Db> {
  return openDB(name, 2, {
    async upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        db.createObjectStore('objects');
        const references = db.createObjectStore('references', { keyPath: ['target', 'source'] });
        references.createIndex('byTargetType', ['target', 'type']);
        db.createObjectStore('heads');
        db.createObjectStore('secrets');
        db.createObjectStore('blobs');
        db.createObjectStore('blobChunks');
      }
      if (oldVersion < 2) {
        const arrivals = db.createObjectStore('arrivals', { autoIncrement: true });
        arrivals.createIndex('byHash', 'hash', { unique: true });
        for (let cursor = await tx.objectStore('objects').openCursor(); cursor; cursor = await cursor.continue()) {
          await arrivals.add({ hash: cursor.key, type: (cursor.value as { type: string }).type });
        }
      }
    },
  });
}

/** Version 2's write: getKey, then add and an arrival for a new object; a put per reference. */
async function writeV2(db: V2Db, objects: readonly StoredObject[], references: readonly ReferenceEntry[]): Promise<void> {
  const tx = db.transaction(['objects', 'arrivals', 'references'], 'readwrite');
  for (const { hash, type, bytes } of objects) {
    if ((await tx.objectStore('objects').getKey(hash)) !== undefined) continue;
    await tx.objectStore('objects').add({ type, bytes }, hash);
    await tx.objectStore('arrivals').add({ hash, type });
  }
  for (const { target, source, type } of references) await tx.objectStore('references').put({ target, source, type });
  await tx.done;
}

async function referencingV2(db: V2Db, target: SHA256Hash, type?: string): Promise<SHA256Hash[]> {
  const keys =
    type === undefined
      ? await db.getAllKeys('references', IDBKeyRange.bound([target], [target, []]))
      : await db.getAllKeysFromIndex('references', 'byTargetType', IDBKeyRange.only([target, type]));
  return (keys as [string, string][]).map(([, source]) => source as SHA256Hash);
}

async function arrivalsV2(db: V2Db): Promise<{ seq: number; hash: SHA256Hash; type: string }[]> {
  const [keys, values] = await Promise.all([db.getAllKeys('arrivals'), db.getAll('arrivals')]);
  return (values as { hash: SHA256Hash; type: string }[]).map((value, i) => ({ seq: keys[i] as number, ...value }));
}

// ---- Fixtures ----

const hex = (n: number, salt: string) => (salt + n.toString(16)).padStart(64, '0') as SHA256Hash;
const bytesOf = (n: number) => new Uint8Array([n & 0xff, (n >> 8) & 0xff, 7]);

describe('IndexedDbStorage: upgrade from version 2', () => {
  let name: string;
  let adapter: IndexedDbStorage | undefined;

  beforeEach(() => {
    name = `lama-migration-${crypto.randomUUID()}`;
  });
  afterEach(async () => {
    await adapter?.close();
    adapter = undefined;
    await IndexedDbStorage.destroy(name);
  });

  it('keeps objects, sequence numbers, references, heads, secrets and BLOBs', async () => {
    // More objects than one migration chunk (512), written in several batches, in an order that
    // is not key order, so sequence numbers and keys disagree.
    const count = 1300;
    const objects: StoredObject[] = Array.from({ length: count }, (_, i) => ({ hash: hex((i * 7919) % count, 'a'), type: i % 3 === 0 ? 'VersionNode' : 'Note', bytes: bytesOf(i) }));
    const idHash = hex(1, 'f1');
    const author = hex(2, 'f2');
    const references: ReferenceEntry[] = objects.flatMap(({ hash, type }, i) => [
      { target: author, source: hash, type },
      ...(type === 'VersionNode' ? [{ target: idHash, source: hash, type }] : []),
      ...(i > 0 ? [{ target: objects[i - 1]!.hash, source: hash, type }] : []),
    ]);
    // A reference whose source this sparse store never got.
    const absentSource = hex(3, 'e');
    references.push({ target: idHash, source: absentSource, type: 'VersionNode' }, { target: author, source: absentSource, type: 'VersionNode' });

    const old = await openV2(name);
    for (let i = 0; i < count; i += 400) {
      const batch = objects.slice(i, i + 400);
      const hashes = new Set(batch.map((o) => o.hash));
      await writeV2(old, batch, references.filter((r) => hashes.has(r.source)));
    }
    await writeV2(old, [objects[5]!], references.filter((r) => r.source === absentSource)); // a duplicate: no new arrival
    await old.put('heads', [objects[10]!.hash, objects[3]!.hash].sort(), idHash);
    await old.put('secrets', new Uint8Array([4, 2]), 'vault');
    await old.put('blobChunks', new Uint8Array([1, 2]), ['sink', 0]);
    await old.put('blobChunks', new Uint8Array([3]), ['sink', 1]);
    await old.put('blobs', { sinkId: 'sink', chunks: 2, size: 3 }, hex(4, 'b'));

    const arrivals = await arrivalsV2(old);
    const expected = {
      byAuthor: await referencingV2(old, author),
      versionsOfId: await referencingV2(old, idHash, 'VersionNode'),
      notesOfId: await referencingV2(old, idHash, 'Note'),
      children: await Promise.all(objects.slice(0, 20).map((o) => referencingV2(old, o.hash))),
    };
    old.close();
    expect(arrivals).toHaveLength(count);
    expect(expected.byAuthor).toHaveLength(count + 1);

    adapter = await IndexedDbStorage.open(name);
    const hashes = objects.map((o) => o.hash);
    expect((await adapter.getObjects(hashes)).map((b) => [...b!])).toEqual(objects.map((o) => [...o.bytes]));
    expect(await adapter.hasObjects([...hashes, absentSource])).toEqual([...hashes.map(() => true), false]);
    const seqOf = new Map(arrivals.map((a) => [a.hash, a.seq]));
    expect(await adapter.getSeqs(hashes)).toEqual(hashes.map((hash) => seqOf.get(hash)));
    expect(await adapter.arrivalsAfter(0, 10 * count)).toEqual(arrivals);
    expect(await adapter.arrivalsAfter(arrivals[99]!.seq, 3)).toEqual(arrivals.slice(100, 103));
    expect(await adapter.lastSeq()).toBe(arrivals.at(-1)!.seq);

    expect(await adapter.getReferencing(author)).toEqual(expected.byAuthor);
    expect(await adapter.getReferencing(idHash, 'VersionNode')).toEqual(expected.versionsOfId);
    expect(await adapter.getReferencing(idHash, 'Note')).toEqual(expected.notesOfId);
    for (const [i, object] of objects.slice(0, 20).entries()) expect(await adapter.getReferencing(object.hash)).toEqual(expected.children[i]);
    expect(await adapter.getReferencingMany([idHash, author], 'VersionNode')).toEqual([
      ...expected.versionsOfId.map((source) => ({ target: idHash, source, type: 'VersionNode' })),
      ...(await referencingOfType(author, 'VersionNode')),
    ]);

    expect(await adapter.getHeads(idHash)).toEqual([objects[10]!.hash, objects[3]!.hash].sort());
    expect([...(await adapter.getSecret('vault'))!]).toEqual([4, 2]);
    expect(await adapter.blobSize(hex(4, 'b'))).toBe(3);
    expect([...(await collectChunks((await adapter.readBlob(hex(4, 'b')))!))]).toEqual([1, 2, 3]);

    // Numbering goes on after the greatest old number; the old stores are gone.
    await adapter.write({ objects: [{ hash: hex(5, 'c'), type: 'Note', bytes: new Uint8Array([9]) }] });
    expect(await adapter.getSeqs([hex(5, 'c')])).toEqual([arrivals.at(-1)!.seq + 1]);
    const raw = await openDB(name);
    expect([...raw.objectStoreNames].sort()).toEqual(['blobChunks', 'blobs', 'heads', 'looseReferences', 'objects', 'secrets']);
    // Only the reference whose source is absent needed a loose entry.
    expect(await raw.count('looseReferences')).toBe(2);
    raw.close();

    async function referencingOfType(target: SHA256Hash, type: string): Promise<ReferenceEntry[]> {
      return [...new Set(references.filter((r) => r.target === target && r.type === type).map((r) => r.source))].sort().map((source) => ({ target, source, type }));
    }
  });

  it('upgrades an empty version 2 database', async () => {
    (await openV2(name)).close();
    adapter = await IndexedDbStorage.open(name);
    expect(await adapter.lastSeq()).toBe(0);
    await adapter.write({ objects: [{ hash: hex(1, 'a'), type: 'Note', bytes: new Uint8Array([1]) }] });
    expect(await adapter.arrivalsAfter(0, 5)).toEqual([{ seq: 1, hash: hex(1, 'a'), type: 'Note' }]);
  });
});
