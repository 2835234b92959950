import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ObjectStore } from './object-store.ts';
import type { LamaObject } from './recipes.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformCrypto } from '../crypto/platform.node.ts';
import { SqliteStorage } from './sqlite-storage.node.ts';
import { NoteRecipe, runStorageAdapterTests } from './storage-adapter-tests.ts';

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
    raw.prepare('UPDATE objects SET bytes = ? WHERE hash = ?').run(Buffer.from('a2657465787467746f75636865646524747970652464e6f7465', 'hex'), hash);
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
