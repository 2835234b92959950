import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ObjectStore } from './object-store.ts';
import type { LamaObject } from './recipes.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformCrypto } from '../crypto/platform.node.ts';
import { SqliteStorage } from './sqlite-storage.node.ts';
import { MemoryStorage } from './memory-storage.ts';
import type { SHA256Hash } from './hash.ts';
import { NoteRecipe, SampleRecipe, SettingRecipe, runStorageAdapterTests } from './storage-adapter-tests.ts';

const hasher = platformCrypto;

runStorageAdapterTests(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lama-store-'));
  let adapter = await SqliteStorage.open(dir);
  return {
    adapter,
    hasher,
    reopen: async () => {
      await adapter.close();
      return (adapter = await SqliteStorage.open(dir));
    },
    teardown: async () => {
      await adapter.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}, 'sqlite', { persistent: true });

describe('SqliteStorage on its own', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lama-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('detects bytes altered inside the database file', async () => {
    const store = new ObjectStore({ adapter: await SqliteStorage.open(dir), hasher, recipes: [NoteRecipe] });
    const hash = await store.put({ $type$: 'Note', text: 'untouched' } as LamaObject);
    await store.close();
    const raw = new Database(join(dir, 'archive.db'));
    raw.prepare('UPDATE objects SET bytes = ? WHERE hash = unhex(?)').run(Buffer.from('a2657465787467746f75636865646524747970652464e6f7465', 'hex'), hash);
    raw.close();
    const reopened = new ObjectStore({ adapter: await SqliteStorage.open(dir), hasher, recipes: [NoteRecipe] });
    await expect(reopened.get(hash)).rejects.toMatchObject({ code: 'HASH_MISMATCH', message: expect.stringContaining(hash) });
    await reopened.close();
  });

  it('refuses a file that is not an archive with a clear error', async () => {
    writeFileSync(join(dir, 'archive.db'), 'this is not a database, just text that happens to be here'.repeat(100));
    await expect(SqliteStorage.open(dir)).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringContaining(dir) });
  });

  it('refuses an archive written by a newer schema', async () => {
    await (await SqliteStorage.open(dir)).close();
    const raw = new Database(join(dir, 'archive.db'));
    raw.prepare("UPDATE meta SET value = '99' WHERE key = 'schema'").run();
    raw.close();
    await expect(SqliteStorage.open(dir)).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringContaining('schema 99') });
  });

  it('migrates an archive of schema 1 (hashes as hex text) without losing a row, an arrival number or a head', async () => {
    // The objects are made by a real store in memory, then written as schema 1 kept them.
    const recipes = [NoteRecipe, SampleRecipe, SettingRecipe];
    const source = new ObjectStore({ adapter: new MemoryStorage(), hasher, recipes });
    const [note] = await source.putMany([{ $type$: 'Note', text: 'kept' } as LamaObject]);
    const sample = { $type$: 'Sample', title: 't', count: 1, ratio: 0.5, done: false, raw: new Uint8Array([1]), about: note, tags: [], scores: {} };
    const [sampleHash] = await source.putMany([sample as unknown as LamaObject]);
    const first = await source.putVersioned({ $type$: 'Setting', key: 'theme', value: 'dark' } as LamaObject);
    const second = await source.putVersioned({ $type$: 'Setting', key: 'theme', value: 'light' } as LamaObject);
    const arrivals = await source.adapter.arrivalsAfter(0, 100);
    const bytes = await source.adapter.getObjects(arrivals.map((a) => a.hash));

    const raw = new Database(join(dir, 'archive.db'));
    raw.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE objects (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, type TEXT NOT NULL, bytes BLOB NOT NULL);
      CREATE TABLE refs (target TEXT NOT NULL, source TEXT NOT NULL, type TEXT NOT NULL, PRIMARY KEY (target, source)) WITHOUT ROWID;
      CREATE TABLE heads (id TEXT NOT NULL, head TEXT NOT NULL, PRIMARY KEY (id, head)) WITHOUT ROWID;
      CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
      INSERT INTO meta VALUES ('schema', '1');
      INSERT INTO secrets VALUES ('vault', x'0102');
    `);
    // Arrival numbers with a gap, as schema 1 allowed: they must survive as they are.
    arrivals.forEach(({ seq, hash, type }, i) => raw.prepare('INSERT INTO objects VALUES (?, ?, ?, ?)').run(seq * 10, hash, type, bytes[i]));
    for (const [i, { hash }] of arrivals.entries()) {
      for (const ref of source.recipes.validate(await source.get(hash))) raw.prepare('INSERT INTO refs VALUES (?, ?, ?)').run(ref.hash, hash, arrivals[i]!.type);
    }
    raw.prepare('INSERT INTO heads VALUES (?, ?)').run(second.idHash, second.versionHash);
    raw.close();

    const adapter = await SqliteStorage.open(dir);
    const migrated = new ObjectStore({ adapter, hasher, recipes });
    expect(await adapter.arrivalsAfter(0, 100)).toEqual(arrivals.map((a) => ({ ...a, seq: a.seq * 10 })));
    expect(await migrated.getMany(arrivals.map((a) => a.hash))).not.toContain(undefined); // each re-hashed on read
    expect(await migrated.referencing(note!, 'Sample')).toEqual([sampleHash]);
    expect((await migrated.getLatest(second.idHash))?.object).toMatchObject({ value: 'light' });
    expect((await migrated.getHistory(second.idHash)).map((h) => h.versionHash)).toEqual([second.versionHash, first.versionHash]);
    expect(await adapter.getSecret('vault')).toEqual(Buffer.from([1, 2]));
    const added = await migrated.put({ $type$: 'Note', text: 'after the migration' } as LamaObject);
    expect(await adapter.getSeqs([added])).toEqual([arrivals.length * 10 + 1]);
    await migrated.close();

    const check = new Database(join(dir, 'archive.db'), { readonly: true });
    expect(check.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get()).toBe('2');
    expect(check.prepare("SELECT typeof(hash) FROM objects GROUP BY 1").pluck().all()).toEqual(['blob']);
    expect(check.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(['heads', 'meta', 'objects', 'refs', 'secrets']);
    check.close();
    const reopened = new ObjectStore({ adapter: await SqliteStorage.open(dir), hasher, recipes });
    expect(await reopened.get<LamaObject & { text: string }>(added)).toMatchObject({ text: 'after the migration' });
    expect(await reopened.getHeads(second.idHash)).toEqual([second.versionHash as SHA256Hash]);
    await reopened.close();
  });

  it('commits writes issued together in one transaction and still acknowledges each', async () => {
    const adapter = await SqliteStorage.open(dir);
    const store = new ObjectStore({ adapter, hasher, recipes: [NoteRecipe] });
    const hashes = await Promise.all(Array.from({ length: 200 }, (_, i) => store.put({ $type$: 'Note', text: `n${i}` } as LamaObject)));
    expect((await store.getMany(hashes)).filter(Boolean)).toHaveLength(200);
    await adapter.close();
  });

  it('closes cleanly with writes still queued, committing them first', async () => {
    const adapter = await SqliteStorage.open(dir);
    const store = new ObjectStore({ adapter, hasher, recipes: [NoteRecipe] });
    const pending = store.put({ $type$: 'Note', text: 'last words' } as LamaObject);
    await store.close();
    const hash = await pending;
    const reopened = new ObjectStore({ adapter: await SqliteStorage.open(dir), hasher, recipes: [NoteRecipe] });
    expect(await reopened.get(hash)).toMatchObject({ text: 'last words' });
    await expect(adapter.getObjects([hash])).rejects.toMatchObject({ code: 'CLOSED' });
    await reopened.close();
  });
});
