import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkWriteBatch } from './batch-check.ts';
import type { SHA256Hash } from './hash.ts';
import { StoreError } from './store-error.ts';
import type { Arrival, BlobSink, ReferenceEntry, StorageAdapter, TypeCount, WriteBatch } from './storage-adapter.ts';

const SCHEMA_VERSION = 2;

// Hashes are stored as their 32 raw bytes (BLOB), not as 64 hex characters: the reverse map and
// the hash index are then half the size, and a bulk import (CHUM's initial sync, whose inserts land
// at random places in both) writes half as many pages. Byte order equals hex order, so every
// "sorted by hash" answer is unchanged.
const TABLES = `
  -- seq orders objects by arrival: CHUM asks "what is new since seq N".
  CREATE TABLE objects (seq INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, type TEXT NOT NULL, bytes BLOB NOT NULL);
  CREATE TABLE refs (target BLOB NOT NULL, source BLOB NOT NULL, type TEXT NOT NULL, PRIMARY KEY (target, source)) WITHOUT ROWID;
  CREATE TABLE heads (id BLOB NOT NULL, head BLOB NOT NULL, PRIMARY KEY (id, head)) WITHOUT ROWID;
`;

/** Schema 1 kept hashes as hex text; the same rows with the hashes as bytes, in one transaction. */
const MIGRATE_FROM_1 = `
  ALTER TABLE objects RENAME TO objects_1;
  ALTER TABLE refs RENAME TO refs_1;
  ALTER TABLE heads RENAME TO heads_1;
  ${TABLES}
  INSERT INTO objects (seq, hash, type, bytes) SELECT seq, unhex(hash), type, bytes FROM objects_1 ORDER BY seq;
  INSERT INTO refs (target, source, type) SELECT unhex(target), unhex(source), type FROM refs_1;
  INSERT INTO heads (id, head) SELECT unhex(id), unhex(head) FROM heads_1;
  DROP TABLE objects_1;
  DROP TABLE refs_1;
  DROP TABLE heads_1;
`;

const key = (hash: SHA256Hash): Buffer => Buffer.from(hash, 'hex');
const hexOf = (bytes: Buffer): SHA256Hash => bytes.toString('hex') as SHA256Hash;

interface Pending {
  batch: WriteBatch;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The Node archive: objects, references, heads and secrets in one SQLite database (WAL), BLOBs as
 * files named by their hash. Writes issued in the same turn of the event loop are committed
 * together in one transaction (group commit); each still resolves only once it is durable.
 *
 * Durability: WAL with synchronous=NORMAL. A commit is in the WAL, in the OS, before `write`
 * resolves, so a killed process loses nothing acknowledged (tests/integration/sigkill); on power
 * loss the last transactions may roll back, but the database is never corrupt (SQLite's guarantee).
 */
export class SqliteStorage implements StorageAdapter {
  readonly #db: Database.Database;
  readonly #blobDir: string;
  readonly #tmpDir: string;
  readonly #statements;
  readonly #commit: (batches: readonly WriteBatch[]) => void;
  #pending: Pending[] = [];
  #closed = false;

  private constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.#blobDir = join(dir, 'blobs');
    this.#tmpDir = join(this.#blobDir, 'incoming');
    mkdirSync(this.#tmpDir, { recursive: true });
    // A sink that never committed (the process died mid-BLOB) left only a temporary file.
    for (const stale of readdirSync(this.#tmpDir)) rmSync(join(this.#tmpDir, stale), { force: true });

    this.#db = new Database(join(dir, 'archive.db'));
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    // Checkpoint the WAL every ~40 MiB instead of every ~4 MiB (the default 1,000 pages): a bulk
    // import (CHUM's initial sync) otherwise spends most of its time copying the same randomly
    // placed index pages back into the database. Durability is unchanged (WAL, as above).
    this.#db.pragma('wal_autocheckpoint = 10000');
    try {
      this.#prepareSchema();
    } catch (error) {
      this.#db.close();
      throw error;
    }

    const db = this.#db;
    this.#statements = {
      insertObject: db.prepare('INSERT OR IGNORE INTO objects (hash, type, bytes) VALUES (?, ?, ?)'),
      getObject: db.prepare('SELECT bytes FROM objects WHERE hash = ?').pluck(),
      // One statement for a whole batch, in request order (NULL where absent): per-row statement
      // calls and rebuilding the order in JavaScript dominate bulk reads otherwise. The hashes go
      // in as a JSON list of hex strings (unhex gives NULL for a malformed one: absent).
      getObjects: db.prepare('SELECT o.bytes FROM json_each(?) AS j LEFT JOIN objects AS o ON o.hash = unhex(j.value) ORDER BY j.key').pluck(),
      hasObject: db.prepare('SELECT 1 FROM objects WHERE hash = ?').pluck(),
      // Bulk lookups in one statement each (as getObjects): a statement call per hash dominates otherwise.
      hasObjects: db.prepare('SELECT o.seq IS NOT NULL FROM json_each(?) AS j LEFT JOIN objects AS o ON o.hash = unhex(j.value) ORDER BY j.key').pluck(),
      seqOf: db.prepare('SELECT seq FROM objects WHERE hash = ?').pluck(),
      seqsOf: db.prepare('SELECT o.seq FROM json_each(?) AS j LEFT JOIN objects AS o ON o.hash = unhex(j.value) ORDER BY j.key').pluck(),
      refsOfTypeMany: db.prepare('SELECT r.target, r.source FROM (SELECT DISTINCT unhex(value) AS target FROM json_each(?)) AS j JOIN refs AS r ON r.target = j.target WHERE r.type = ? ORDER BY r.target, r.source').raw(),
      arrivalsAfter: db.prepare('SELECT seq, hash, type FROM objects WHERE seq > ? ORDER BY seq LIMIT ?').raw(),
      lastSeq: db.prepare('SELECT coalesce(max(seq), 0) FROM objects').pluck(),
      // One scan; length() of a BLOB reads its size from the record header, not its content.
      countByType: db.prepare('SELECT type, count(*), sum(length(bytes)) FROM objects GROUP BY type ORDER BY type').raw(),
      // A source's $type$ never changes (it is part of the source's bytes): a second insert adds nothing.
      insertRef: db.prepare('INSERT OR IGNORE INTO refs (target, source, type) VALUES (?, ?, ?)'),
      refs: db.prepare('SELECT source FROM refs WHERE target = ? ORDER BY source').pluck(),
      refsOfType: db.prepare('SELECT source FROM refs WHERE target = ? AND type = ? ORDER BY source').pluck(),
      clearHeads: db.prepare('DELETE FROM heads WHERE id = ?'),
      insertHead: db.prepare('INSERT OR IGNORE INTO heads (id, head) VALUES (?, ?)'),
      heads: db.prepare('SELECT head FROM heads WHERE id = ? ORDER BY head').pluck(),
      putSecret: db.prepare('INSERT OR REPLACE INTO secrets (name, value) VALUES (?, ?)'),
      deleteSecret: db.prepare('DELETE FROM secrets WHERE name = ?'),
      getSecret: db.prepare('SELECT value FROM secrets WHERE name = ?').pluck(),
    };
    this.#commit = db.transaction((batches: readonly WriteBatch[]) => {
      for (const batch of batches) this.#apply(batch);
    });
  }

  /** Opens (or creates) the archive in `dir`: `archive.db` plus a `blobs/` folder. */
  static async open(dir: string): Promise<SqliteStorage> {
    try {
      return new SqliteStorage(dir);
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StoreError('CORRUPT', `cannot open the archive in ${dir}: ${(error as Error).message}`);
    }
  }

  async write(batch: WriteBatch): Promise<void> {
    this.#checkOpen();
    checkWriteBatch(batch);
    return new Promise((resolve, reject) => {
      if (this.#pending.length === 0) setImmediate(() => this.#flush());
      this.#pending.push({ batch, resolve, reject });
    });
  }

  async getObjects(hashes: readonly SHA256Hash[]): Promise<(Uint8Array | undefined)[]> {
    this.#checkOpen();
    if (hashes.length === 1) return [(this.#statements.getObject.get(key(hashes[0]!)) as Buffer | undefined) ?? undefined];
    return (this.#statements.getObjects.all(JSON.stringify(hashes)) as (Buffer | null)[]).map((bytes) => bytes ?? undefined);
  }

  async hasObjects(hashes: readonly SHA256Hash[]): Promise<boolean[]> {
    this.#checkOpen();
    if (hashes.length === 1) return [this.#statements.hasObject.get(key(hashes[0]!)) !== undefined];
    return (this.#statements.hasObjects.all(JSON.stringify(hashes)) as number[]).map((found) => found === 1);
  }

  async getSeqs(hashes: readonly SHA256Hash[]): Promise<(number | undefined)[]> {
    this.#checkOpen();
    if (hashes.length === 1) return [(this.#statements.seqOf.get(key(hashes[0]!)) as number | undefined) ?? undefined];
    return (this.#statements.seqsOf.all(JSON.stringify(hashes)) as (number | null)[]).map((seq) => seq ?? undefined);
  }

  async arrivalsAfter(seq: number, limit: number): Promise<Arrival[]> {
    this.#checkOpen();
    return (this.#statements.arrivalsAfter.all(seq, limit) as [number, Buffer, string][]).map(([seq, hash, type]) => ({ seq, hash: hexOf(hash), type }));
  }

  async lastSeq(): Promise<number> {
    this.#checkOpen();
    return this.#statements.lastSeq.get() as number;
  }

  async countByType(): Promise<TypeCount[]> {
    this.#checkOpen();
    return (this.#statements.countByType.all() as [string, number, number][]).map(([type, objects, bytes]) => ({ type, objects, bytes }));
  }

  async getHeads(idHash: SHA256Hash): Promise<SHA256Hash[]> {
    this.#checkOpen();
    return (this.#statements.heads.all(key(idHash)) as Buffer[]).map(hexOf);
  }

  async getReferencing(target: SHA256Hash, type?: string): Promise<SHA256Hash[]> {
    this.#checkOpen();
    const rows = type === undefined ? this.#statements.refs.all(key(target)) : this.#statements.refsOfType.all(key(target), type);
    return (rows as Buffer[]).map(hexOf);
  }

  async getReferencingMany(targets: readonly SHA256Hash[], type: string): Promise<ReferenceEntry[]> {
    this.#checkOpen();
    return (this.#statements.refsOfTypeMany.all(JSON.stringify(targets), type) as [Buffer, Buffer][]).map(([target, source]) => ({ target: hexOf(target), source: hexOf(source), type }));
  }

  async getSecret(name: string): Promise<Uint8Array | undefined> {
    this.#checkOpen();
    return (this.#statements.getSecret.get(name) as Buffer | undefined) ?? undefined;
  }

  async createBlobSink(): Promise<BlobSink> {
    this.#checkOpen();
    const tmpPath = join(this.#tmpDir, randomUUID());
    const file = await open(tmpPath, 'wx');
    let finished = false;
    const finish = () => {
      if (finished) throw new StoreError('CLOSED', 'BLOB sink already finished');
      finished = true;
    };
    return {
      write: async (chunk) => {
        if (finished) throw new StoreError('CLOSED', 'BLOB sink already finished');
        await file.write(chunk);
      },
      commit: async (hash) => {
        finish();
        await file.sync();
        await file.close();
        const finalPath = this.#blobPath(hash);
        if (existsSync(finalPath)) return rm(tmpPath, { force: true });
        mkdirSync(join(finalPath, '..'), { recursive: true });
        await rename(tmpPath, finalPath); // atomic: the BLOB is whole or absent
      },
      abort: async () => {
        if (finished) return;
        finished = true;
        await file.close();
        await rm(tmpPath, { force: true });
      },
    };
  }

  async readBlob(hash: SHA256Hash): Promise<AsyncIterable<Uint8Array> | undefined> {
    this.#checkOpen();
    const path = this.#blobPath(hash);
    if (!existsSync(path)) return undefined;
    return createReadStream(path, { highWaterMark: 64 * 1024 });
  }

  async hasBlob(hash: SHA256Hash): Promise<boolean> {
    this.#checkOpen();
    return existsSync(this.#blobPath(hash));
  }

  async blobSize(hash: SHA256Hash): Promise<number | undefined> {
    this.#checkOpen();
    return stat(this.#blobPath(hash)).then((info) => info.size, () => undefined);
  }

  /** Commits what is queued, then closes the database. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    this.#db.close();
  }

  #flush(): void {
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    try {
      this.#commit(pending.map((p) => p.batch));
      for (const p of pending) p.resolve();
    } catch {
      // One bad batch must not sink its neighbours: retry each on its own.
      for (const p of pending) {
        try {
          this.#commit([p.batch]);
          p.resolve();
        } catch (error) {
          p.reject(error);
        }
      }
    }
  }

  #apply(batch: WriteBatch): void {
    const s = this.#statements;
    for (const { hash, type, bytes } of batch.objects ?? []) s.insertObject.run(key(hash), type, bytes);
    for (const { target, source, type } of batch.references ?? []) s.insertRef.run(key(target), key(source), type);
    for (const { idHash, heads } of batch.heads ?? []) {
      const id = key(idHash);
      s.clearHeads.run(id);
      for (const head of heads) s.insertHead.run(id, key(head));
    }
    for (const { name, value } of batch.secrets ?? []) {
      if (value === null) s.deleteSecret.run(name);
      else s.putSecret.run(name, value);
    }
  }

  #blobPath(hash: SHA256Hash): string {
    return join(this.#blobDir, hash.slice(0, 2), hash);
  }

  /** Creates the tables of a new archive, migrates an older one, refuses a newer one. */
  #prepareSchema(): void {
    const db = this.#db;
    db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
    db.exec('CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID');
    const version = db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck();
    const setVersion = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)");
    db.transaction(() => {
      const found = version.get() as string | undefined;
      if (found === undefined) db.exec(TABLES);
      else if (found === '1') db.exec(MIGRATE_FROM_1);
      else if (Number(found) !== SCHEMA_VERSION) throw new StoreError('CORRUPT', `archive schema ${found} is not the supported ${SCHEMA_VERSION}`);
      setVersion.run(String(SCHEMA_VERSION));
    }).immediate();
  }

  #checkOpen(): void {
    if (this.#closed) throw new StoreError('CLOSED', 'the archive is closed');
  }
}
