import { deleteDB, openDB, unwrap, type DBSchema, type IDBPDatabase, type StoreNames } from 'idb';
import { checkWriteBatch } from './batch-check.ts';
import type { SHA256Hash } from './hash.ts';
import { StoreError } from './store-error.ts';
import type { Arrival, BlobSink, ReferenceEntry, StorageAdapter, StoredObject, WriteBatch } from './storage-adapter.ts';

/**
 * The browser backend: a sparse store in IndexedDB, one database per name. Sparse means it may lack
 * objects that exist elsewhere and fetch them later; an absent object is simply `undefined`.
 *
 * Layout (version 3). What a write costs is what IndexedDB stores per object, so an object is one
 * record and everything asked of it by hash, by arrival or by reference is an index on that record:
 * - `objects`: key = hash, value {type, bytes, seq, refs}. Index `bySeq` on seq answers
 *   arrivalsAfter/lastSeq; multiEntry index `byRef` on refs — one `${target} ${type}` string per
 *   reference, type being the source's $type$ — answers getReferencing: equality for one type, the
 *   prefix `${target} ` for any type. Storing an object is one `add`, with no read before it: a
 *   ConstraintError on that request (handled, so the batch goes on) means the hash is already
 *   stored, and the first bytes stay.
 * - `looseReferences`: reverse-map entries that did not arrive with their source's first write
 *   (a batch of references alone, or one for an object already stored that did not list them):
 *   key `${target} ${source} ${type}`, no value. Rare by design; every reverse lookup reads both.
 * - `heads`, `secrets`, `blobs`, `blobChunks`: as in version 1.
 * Keys are strings, not the hashes' 32 raw bytes: binary keys would make index entries smaller,
 * but measured in Chromium, refs as bytes made each `add` about twice as expensive to issue on the
 * page's main thread (the sync's scarce resource), and the database's own time did not measurably
 * change. Version 2 had, besides `objects`, an autoIncrement `arrivals` store (unique index by
 * hash) and a `references` store (index by target and type): six or more requests and three
 * indexes per object. The upgrade to 3 rewrites each record in place, keeping its sequence number.
 *
 * Reads are one transaction per call, a request per hash, one listener for all of them, committed
 * as soon as the requests are made (#read); records stored or read lately are answered from memory
 * (RecentRecords), since sync reads what it has just written.
 *
 * Sequence numbers: a write reads the greatest seq (the last `bySeq` key) inside its own readwrite
 * transaction and numbers its objects from there, in batch order. Transactions over `objects` never
 * overlap — not even across tabs, which hold their own connections — so two writers cannot both
 * take the same number. An in-memory counter could not promise that with a second tab; the read
 * costs one round trip per batch, not per object. A duplicate (ConstraintError) leaves its number
 * unused: numbers grow and are never given twice, though they may skip.
 *
 * Durability: every readwrite transaction holding data a caller will see acknowledged (write
 * batches, BLOB chunks, BLOB commits) asks for `durability: 'strict'`. The contract says that once
 * `write` or `commit` resolves the data survives a crash. A crash of the tab or browser alone loses
 * nothing either way (committed data has reached the OS); the difference is an OS crash or power loss:
 * Chromium's default since 83 is 'relaxed', which fires `complete` once the bytes are handed to the OS
 * without flushing them, so the last acknowledged writes can vanish. 'strict' flushes first.
 * BLOB chunks are strict too: the spec does not promise that a later strict commit flushes earlier
 * relaxed transactions, and a committed BLOB whose chunks were lost would be a dangling entry.
 * The one exception is `abort`, which only deletes chunks nothing points to: losing that deletion
 * leaves unreachable bytes behind, not wrong data, so it does not pay for a flush.
 * (Measured in headless Chromium on this machine, strict vs relaxed was within run-to-run noise.)
 */
const DATABASE_VERSION = 3;
const ACKNOWLEDGED: IDBTransactionOptions = { durability: 'strict' };
const CLEANUP: IDBTransactionOptions = { durability: 'relaxed' };
/** Records read per request while migrating: bounded memory, few round trips. */
const MIGRATION_CHUNK = 512;
/** Bounds of the recent-records cache (RecentRecords); larger objects are not kept in it. */
const RECENT_ENTRIES = 8192;
const RECENT_BYTES = 4 * 1024 * 1024;
const RECENT_OBJECT_BYTES = 64 * 1024;

interface ObjectRecord {
  readonly type: string;
  readonly bytes: Uint8Array;
  readonly seq: number;
  /** refKey of each reference stored with the object; absent when it has none. */
  readonly refs?: readonly string[];
}

/** A committed BLOB: its chunks live in blobChunks under [sinkId, 0 … chunks - 1]. */
interface BlobRecord {
  readonly sinkId: string;
  readonly chunks: number;
  readonly size: number;
}

interface LamaDb extends DBSchema {
  objects: { key: string; value: ObjectRecord; indexes: { bySeq: number; byRef: string } };
  looseReferences: { key: string; value: null };
  heads: { key: string; value: string[] };
  secrets: { key: string; value: Uint8Array };
  blobs: { key: string; value: BlobRecord };
  blobChunks: { key: [string, number]; value: Uint8Array };
}

type StoreName = StoreNames<LamaDb>;

export class IndexedDbStorage implements StorageAdapter {
  readonly #db: IDBPDatabase<LamaDb>;
  readonly #raw: IDBDatabase;
  readonly #recent = new RecentRecords();
  #closed = false;

  private constructor(db: IDBPDatabase<LamaDb>) {
    this.#db = db;
    this.#raw = unwrap(db);
  }

  /** Opens (creating or upgrading if needed) the database `name`. */
  static async open(name: string): Promise<IndexedDbStorage> {
    // The callbacks below run after open resolves; they reach the instance through this slot.
    const opened: { instance?: IndexedDbStorage } = {};
    const db = await openDB<LamaDb>(name, DATABASE_VERSION, {
      async upgrade(db, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) {
          for (const store of ['objects', 'heads', 'secrets', 'blobs', 'blobChunks'] as const) db.createObjectStore(store);
        }
        if (oldVersion < 3) {
          db.createObjectStore('looseReferences');
          if (oldVersion >= 1) await migrateToV3(unwrap(tx), oldVersion);
          // Built after the migration rewrote every record: one pass over the store.
          const objects = tx.objectStore('objects');
          objects.createIndex('bySeq', 'seq');
          objects.createIndex('byRef', 'refs', { multiEntry: true });
        }
      },
      // Another connection wants to delete or upgrade this database (reset, a newer app version in
      // another tab): step aside instead of blocking it; later calls here fail with CLOSED.
      blocking: () => void opened.instance?.close(),
      // The browser closed the connection (storage cleared, disk failure).
      terminated: () => {
        if (!opened.instance) return;
        opened.instance.#closed = true;
        opened.instance.#recent.clear();
      },
    });
    opened.instance = new IndexedDbStorage(db);
    return opened.instance;
  }

  /** Deletes the database `name` and everything in it. Open instances of it close themselves. */
  static async destroy(name: string): Promise<void> {
    await deleteDB(name);
  }

  /**
   * Applies the whole batch in one readwrite transaction over the stores it touches: one request
   * per new object (its references ride in its record), one to read the last sequence number.
   */
  async write(batch: WriteBatch): Promise<void> {
    this.#checkOpen();
    checkWriteBatch(batch);
    const { objects = [], references = [], heads = [], secrets = [] } = batch;
    // The first of several objects with one hash is the one stored (the rest are duplicates anyway).
    const fresh = new Map<SHA256Hash, StoredObject>();
    for (const object of objects) if (!fresh.has(object.hash)) fresh.set(object.hash, object);
    const carried = new Map<SHA256Hash, ReferenceEntry[]>();
    const loose: ReferenceEntry[] = [];
    for (const reference of references) {
      const list = fresh.has(reference.source) ? carried.get(reference.source) : loose;
      if (list) list.push(reference);
      else carried.set(reference.source, [reference]);
    }
    const names: StoreName[] = [];
    if (fresh.size > 0) names.push('objects');
    if (loose.length > 0 || carried.size > 0) names.push('looseReferences');
    if (heads.length > 0) names.push('heads');
    if (secrets.length > 0) names.push('secrets');
    if (names.length === 0) return;
    // Every request is issued before anything is awaited; the transaction's completion is the one
    // thing awaited. Raw requests (not idb's promises): an aborted batch leaves no unhandled rejections.
    const added: [SHA256Hash, ObjectRecord][] = [];
    await this.#readwrite(names, (tx, fail) => {
      if (loose.length > 0) {
        const store = tx.objectStore('looseReferences');
        for (const reference of loose) store.put(null, looseKey(reference));
      }
      if (heads.length > 0) {
        const store = tx.objectStore('heads');
        for (const { idHash, heads: set } of heads) store.put([...set].sort(), idHash);
      }
      if (secrets.length > 0) {
        const store = tx.objectStore('secrets');
        for (const { name, value } of secrets) {
          if (value === null) store.delete(name);
          else store.put(ownBytes(value), name);
        }
      }
      // Nothing but puts and deletes: nothing to wait for before committing (see #read). A batch
      // with objects cannot: a duplicate's ConstraintError aborts a transaction committed early,
      // even when handled.
      if (fresh.size === 0) return tx.commit();
      const store = tx.objectStore('objects');
      const last = store.index('bySeq').openKeyCursor(null, 'prev');
      last.onsuccess = () => {
        try {
          let seq = ((last.result?.key as number | undefined) ?? 0) + 1;
          for (const [hash, { type, bytes }] of fresh) {
            const refs = carried.get(hash);
            const record: ObjectRecord = { type, bytes: ownBytes(bytes), seq: seq++, ...(refs && { refs: refs.map(refKey) }) };
            const request = store.add(record, hash);
            // A copy: the caller's array may change after the add cloned it.
            request.onsuccess = () => added.push([hash, { type, bytes: bytes.slice(), seq: record.seq }]);
            request.onerror = (event) => {
              if (request.error?.name !== 'ConstraintError') return; // anything else aborts the batch
              event.preventDefault(); // do not abort the transaction
              event.stopPropagation(); // nor reach the transaction's error listeners
              if (refs) keepReferences(tx, hash, refs, fail);
            };
          }
        } catch (error) {
          fail(error);
        }
      };
    });
    // Committed: only now may reads see these records without asking IndexedDB.
    if (!this.#closed) for (const [hash, record] of added) this.#recent.add(hash, record);
  }

  async getObjects(hashes: readonly SHA256Hash[]): Promise<(Uint8Array | undefined)[]> {
    const records = await this.#records(hashes, true);
    return records.map((record) => record?.bytes);
  }

  async hasObjects(hashes: readonly SHA256Hash[]): Promise<boolean[]> {
    this.#checkOpen();
    const found = hashes.map((hash) => this.#recent.get(hash) !== undefined);
    const unknown = hashes.filter((_, i) => !found[i]);
    if (unknown.length === 0) return found;
    // getKey: the record's bytes are not read.
    const keys = await this.#read(['objects'], (tx) => unknown.map((hash) => tx.objectStore('objects').getKey(hash)));
    let next = 0;
    return found.map((known) => known || keys[next++] !== undefined);
  }

  /** The seq is in the object's record: one get per hash (it reads the bytes too; objects are ≤ 1 MiB). */
  async getSeqs(hashes: readonly SHA256Hash[]): Promise<(number | undefined)[]> {
    const records = await this.#records(hashes, false);
    return records.map((record) => record?.seq);
  }

  async arrivalsAfter(seq: number, limit: number): Promise<Arrival[]> {
    this.#checkOpen();
    if (!(limit >= 1)) return []; // IndexedDB reads a count of 0 as "no limit"
    const range = IDBKeyRange.lowerBound(seq, true);
    // A count must fit in 32 bits; anything larger means everything.
    const count = limit < 2 ** 32 ? Math.floor(limit) : undefined;
    // Both lists come in index order (seq, then primary key): entry i of one is entry i of the other.
    const [keys, records] = (await this.#read(['objects'], (tx) => {
      const index = tx.objectStore('objects').index('bySeq');
      return [index.getAllKeys(range, count), index.getAll(range, count)];
    })) as [SHA256Hash[], ObjectRecord[]];
    return records.map((record, i) => ({ seq: record.seq, hash: keys[i]!, type: record.type }));
  }

  async lastSeq(): Promise<number> {
    this.#checkOpen();
    const [cursor] = await this.#read(['objects'], (tx) => [tx.objectStore('objects').index('bySeq').openKeyCursor(null, 'prev')]);
    return (cursor?.key as number | undefined) ?? 0;
  }

  async getHeads(idHash: SHA256Hash): Promise<SHA256Hash[]> {
    const heads = await this.#get<string[]>('heads', idHash);
    return (heads ?? []) as SHA256Hash[];
  }

  async getReferencing(target: SHA256Hash, type?: string): Promise<SHA256Hash[]> {
    this.#checkOpen();
    const range = type === undefined ? targetRange(target) : IDBKeyRange.only(refKey({ target, type }));
    const [sources, loose] = (await this.#read(['objects', 'looseReferences'], (tx) => [
      tx.objectStore('objects').index('byRef').getAllKeys(range),
      tx.objectStore('looseReferences').getAllKeys(targetRange(target)),
    ])) as [SHA256Hash[], string[]];
    const found = new Set(sources);
    for (const key of loose) {
      const entry = looseEntryOf(key);
      if (type === undefined || entry.type === type) found.add(entry.source);
    }
    // Hex hashes: code-unit order is byte order, the order the contract asks for.
    return [...found].sort();
  }

  /** One transaction: one index read per distinct target, and one range read of the (rare) loose entries. */
  async getReferencingMany(targets: readonly SHA256Hash[], type: string): Promise<ReferenceEntry[]> {
    this.#checkOpen();
    const unique = [...new Set(targets)].sort();
    if (unique.length === 0) return [];
    const found = (await this.#read(['objects', 'looseReferences'], (tx) => {
      const index = tx.objectStore('objects').index('byRef');
      const requests = unique.map((target) => index.getAllKeys(IDBKeyRange.only(refKey({ target, type }))));
      requests.push(tx.objectStore('looseReferences').getAllKeys(targetRange(unique[0]!, unique.at(-1)!)));
      return requests;
    })) as string[][];
    const sources = new Map(unique.map((target, i) => [target, new Set(found[i] as SHA256Hash[])]));
    for (const key of found[unique.length]!) {
      const entry = looseEntryOf(key);
      if (entry.type === type) sources.get(entry.target)?.add(entry.source);
    }
    return unique.flatMap((target) => [...sources.get(target)!].sort().map((source) => ({ target, source, type })));
  }

  async getSecret(name: string): Promise<Uint8Array | undefined> {
    return this.#get<Uint8Array>('secrets', name);
  }

  /**
   * Each chunk is written in its own transaction under a fresh sink id, so a huge BLOB never sits in
   * memory; `commit` files the sink under its hash in one transaction. Use the sink sequentially
   * (await each call): after a failed write or commit only `abort` is accepted.
   */
  async createBlobSink(): Promise<BlobSink> {
    this.#checkOpen();
    const sinkId = crypto.randomUUID();
    const chunkRange = IDBKeyRange.bound([sinkId, 0], [sinkId, Infinity]);
    let chunks = 0;
    let size = 0;
    let state: 'open' | 'failed' | 'committing' | 'committed' | 'aborted' = 'open';
    const checkWritable = () => {
      if (state !== 'open') throw new StoreError('CLOSED', `BLOB sink already ${state === 'failed' ? 'failed' : 'finished'}`);
    };
    return {
      write: async (chunk) => {
        checkWritable();
        const index = chunks++;
        size += chunk.byteLength;
        try {
          await this.#readwrite(['blobChunks'], (tx) => {
            tx.objectStore('blobChunks').put(ownBytes(chunk), [sinkId, index]);
            tx.commit();
          });
        } catch (error) {
          state = 'failed';
          throw error;
        }
      },
      commit: async (hash) => {
        checkWritable();
        state = 'committing';
        try {
          // One transaction: the existence check and the filing cannot interleave with another commit.
          await this.#readwrite(['blobs', 'blobChunks'], (tx) => {
            const existing = tx.objectStore('blobs').getKey(hash);
            existing.onsuccess = () => {
              // An existing BLOB with that hash is kept (same hash, same bytes); ours are dropped.
              if (existing.result !== undefined) tx.objectStore('blobChunks').delete(chunkRange);
              else tx.objectStore('blobs').put({ sinkId, chunks, size } satisfies BlobRecord, hash);
              tx.commit();
            };
          });
        } catch (error) {
          state = 'failed';
          throw error;
        }
        state = 'committed';
      },
      abort: async () => {
        // While committing the chunks may already be filed: leave them to the commit's outcome.
        if (state === 'committing' || state === 'committed' || state === 'aborted') return;
        state = 'aborted';
        // A closed store cannot clean up; the chunks stay unreachable. Not an error: abort runs on
        // failure paths, where throwing would hide the error that caused it.
        if (this.#closed) return;
        await this.#readwrite(
          ['blobChunks'],
          (tx) => {
            tx.objectStore('blobChunks').delete(chunkRange);
            tx.commit();
          },
          CLEANUP,
        );
      },
    };
  }

  /** Chunks are read lazily, one short readonly transaction per chunk, only when the consumer asks. */
  async readBlob(hash: SHA256Hash): Promise<AsyncIterable<Uint8Array> | undefined> {
    const record = await this.#get<BlobRecord>('blobs', hash);
    return record && this.#chunks(hash, record);
  }

  async hasBlob(hash: SHA256Hash): Promise<boolean> {
    const [key] = await this.#read(['blobs'], (tx) => [tx.objectStore('blobs').getKey(hash)]);
    return key !== undefined;
  }

  async blobSize(hash: SHA256Hash): Promise<number | undefined> {
    return (await this.#get<BlobRecord>('blobs', hash))?.size;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#recent.clear();
    // Transactions already running still complete; IndexedDB closes the connection after them.
    this.#db.close();
  }

  async *#chunks(hash: SHA256Hash, record: BlobRecord): AsyncGenerator<Uint8Array> {
    for (let index = 0; index < record.chunks; index++) {
      const chunk = await this.#get<Uint8Array>('blobChunks', [record.sinkId, index]);
      if (!chunk) throw new StoreError('CORRUPT', `BLOB ${hash} lacks chunk ${index} of ${record.chunks}`);
      yield chunk;
    }
  }

  /**
   * The records of `hashes`, in order, undefined where absent: recent ones from memory, the rest in
   * one transaction. With `ownBytes`, remembered records come with a copy of their bytes, which
   * the caller may then change.
   */
  async #records(hashes: readonly SHA256Hash[], ownBytes: boolean): Promise<(ObjectRecord | undefined)[]> {
    this.#checkOpen();
    const found = hashes.map((hash) => {
      const record = this.#recent.get(hash);
      return record && ownBytes ? { ...record, bytes: record.bytes.slice() } : record;
    });
    const unknown = hashes.filter((_, i) => !found[i]);
    if (unknown.length === 0) return found;
    const read = await this.#read(['objects'], (tx) => unknown.map((hash) => tx.objectStore('objects').get(hash) as IDBRequest<ObjectRecord | undefined>));
    let next = 0;
    return found.map((record, i) => {
      if (record) return record;
      const stored = read[next++];
      if (stored) this.#recent.add(hashes[i]!, { type: stored.type, bytes: stored.bytes.slice(), seq: stored.seq });
      return stored;
    });
  }

  async #get<T>(name: StoreName, key: IDBValidKey): Promise<T | undefined> {
    const [value] = await this.#read([name], (tx) => [tx.objectStore(name).get(key) as IDBRequest<T | undefined>]);
    return value;
  }

  /**
   * Runs `issue` on a new readwrite transaction and waits for it to commit. `issue` (and the request
   * callbacks it sets up) report an error through `fail`, which aborts the transaction — rolling back
   * every request already made — and makes that error, not the AbortError, the rejection. An error
   * thrown by `issue` itself (e.g. a value IndexedDB cannot clone) is handled the same way.
   */
  async #readwrite(
    names: StoreName[],
    issue: (tx: IDBTransaction, fail: (error: unknown) => void) => void,
    options: IDBTransactionOptions = ACKNOWLEDGED,
  ): Promise<void> {
    const tx = this.#transaction(names, 'readwrite', options);
    let failure: { error: unknown } | undefined;
    const fail = (error: unknown) => {
      failure ??= { error };
      try {
        tx.abort();
      } catch {
        // Already finished or aborting: nothing left to roll back.
      }
    };
    const committed = completion(tx);
    try {
      issue(tx, fail);
    } catch (error) {
      fail(error);
    }
    try {
      await committed;
    } catch (error) {
      throw failure ? failure.error : error;
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new StoreError('CLOSED', 'the IndexedDB store is closed');
  }

  /**
   * One readonly transaction: `issue` makes every request, then the transaction is committed at
   * once. Left to auto-commit, it would hold its stores until this page had run every result's
   * callback — and a write waiting for those stores waits for the page's main thread, busy
   * with the sync itself; committed, IndexedDB ends it as soon as it has answered.
   */
  #read<T>(names: StoreName[], issue: (tx: IDBTransaction) => IDBRequest<T>[]): Promise<T[]> {
    const tx = this.#transaction(names, 'readonly');
    const requests = issue(tx);
    tx.commit();
    return results(requests);
  }

  /** Raw transactions: idb's promise per request costs more than the request in bulk reads and writes. */
  #transaction(names: StoreName[], mode: IDBTransactionMode, options?: IDBTransactionOptions): IDBTransaction {
    this.#checkOpen();
    try {
      return this.#raw.transaction(names, mode, options);
    } catch (error) {
      // InvalidStateError: the connection is closing or was closed under us.
      if (error instanceof DOMException && error.name === 'InvalidStateError') {
        this.#closed = true;
        this.#checkOpen();
      }
      throw error;
    }
  }
}

/**
 * Records this connection stored or read lately, by hash, least recently used first (a Map keeps
 * insertion order; a hit moves to the end), bounded in count and bytes. They need no invalidation:
 * a stored object's record never changes and is never removed — by no tab: content addressing keeps
 * the first bytes, and nothing deletes objects — and only records known to be stored enter (added
 * once their write committed, or read). Sync reads what it has just written: the offerer reads each
 * version node that arrived, the fetcher asks whether the targets of what it stored are present,
 * the import reads the heads it replaces; each would otherwise be a transaction of its own, queued
 * behind the writes.
 */
class RecentRecords {
  readonly #records = new Map<string, ObjectRecord>();
  #bytes = 0;

  clear(): void {
    this.#records.clear();
    this.#bytes = 0;
  }

  get(hash: string): ObjectRecord | undefined {
    const record = this.#records.get(hash);
    if (record) {
      this.#records.delete(hash);
      this.#records.set(hash, record);
    }
    return record;
  }

  /** `record` becomes the cache's own: its bytes must not be shared with anyone else. */
  add(hash: string, record: ObjectRecord): void {
    if (record.bytes.byteLength > RECENT_OBJECT_BYTES || this.#records.has(hash)) return;
    this.#records.set(hash, record);
    this.#bytes += record.bytes.byteLength;
    for (const [oldest, { bytes }] of this.#records) {
      if (this.#records.size <= RECENT_ENTRIES && this.#bytes <= RECENT_BYTES) break;
      this.#records.delete(oldest);
      this.#bytes -= bytes.byteLength;
    }
  }
}

/**
 * Moves a version 1 or 2 database to the version 3 layout inside the upgrade transaction (a failure
 * leaves the old version untouched): each object record gains its sequence number — version 2's
 * arrival key; version 1 numbered none, so key order gives them, as the version 2 upgrade did — and
 * the references it is the source of; references whose source is not stored become loose entries.
 * The old `arrivals` and `references` stores go.
 */
async function migrateToV3(tx: IDBTransaction, oldVersion: number): Promise<void> {
  const db = tx.db;
  const seqs = new Map<string, number>();
  let next = 1;
  if (oldVersion >= 2) {
    await eachChunk(tx.objectStore('arrivals'), (keys, values) => {
      values.forEach((value, i) => seqs.set((value as { hash: string }).hash, keys[i] as number));
      next = (keys.at(-1) as number) + 1; // key order: the last chunk's last key is the greatest
    });
    db.deleteObjectStore('arrivals');
  }
  const bySource = new Map<string, ReferenceEntry[]>();
  await eachChunk(tx.objectStore('references'), (_keys, values) => {
    for (const reference of values as ReferenceEntry[]) {
      const list = bySource.get(reference.source);
      if (list) list.push(reference);
      else bySource.set(reference.source, [reference]);
    }
  });
  db.deleteObjectStore('references');
  const objects = tx.objectStore('objects');
  // Rewriting a chunk's records in place is safe: the next chunk starts after its last key.
  await eachChunk(objects, (keys, values) => {
    keys.forEach((key, i) => {
      const hash = key as string;
      const { type, bytes } = values[i] as { type: string; bytes: Uint8Array };
      const refs = bySource.get(hash);
      bySource.delete(hash);
      const record: ObjectRecord = { type, bytes, seq: seqs.get(hash) ?? next++, ...(refs && { refs: refs.map(refKey) }) };
      objects.put(record, hash);
    });
  });
  const loose = tx.objectStore('looseReferences');
  for (const references of bySource.values()) for (const reference of references) loose.put(null, looseKey(reference));
}

/** Reads a whole store in key order, MIGRATION_CHUNK records per pair of requests. */
async function eachChunk(store: IDBObjectStore, take: (keys: IDBValidKey[], values: unknown[]) => void): Promise<void> {
  let range: IDBKeyRange | undefined;
  for (;;) {
    const [keys, values] = (await results([store.getAllKeys(range, MIGRATION_CHUNK), store.getAll(range, MIGRATION_CHUNK)])) as [IDBValidKey[], unknown[]];
    if (keys.length === 0) return;
    take(keys, values);
    if (keys.length < MIGRATION_CHUNK) return;
    range = IDBKeyRange.lowerBound(keys.at(-1)!, true);
  }
}

/**
 * The results of requests of one transaction, in order, once the last has succeeded — requests
 * complete in the order they were made, so one listener does. Rejects with the first request error.
 */
function results<T>(requests: readonly IDBRequest<T>[]): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const last = requests.at(-1);
    if (!last) return resolve([]);
    for (const request of requests) request.onerror = () => reject(request.error);
    last.onsuccess = () => resolve(requests.map((request) => request.result));
  });
}

/** Settles with the transaction: resolves on commit, rejects on abort (with its error, if any). */
function completion(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('The transaction was aborted', 'AbortError'));
  });
}

/**
 * A duplicate (already stored) object's references are kept as loose entries unless its stored
 * record already lists them — as it does when ObjectStore wrote it: references follow from the bytes.
 */
function keepReferences(tx: IDBTransaction, hash: SHA256Hash, refs: readonly ReferenceEntry[], fail: (error: unknown) => void): void {
  const stored = tx.objectStore('objects').get(hash);
  stored.onsuccess = () => {
    try {
      const listed = new Set((stored.result as ObjectRecord | undefined)?.refs);
      const loose = tx.objectStore('looseReferences');
      for (const reference of refs) if (!listed.has(refKey(reference))) loose.put(null, looseKey(reference));
    } catch (error) {
      fail(error);
    }
  };
}

/** The byRef index key of a reference. Hashes are 64 characters: the type starts at 65. */
function refKey(reference: Pick<ReferenceEntry, 'target' | 'type'>): string {
  return `${reference.target} ${reference.type}`;
}

function looseKey(reference: ReferenceEntry): string {
  return `${reference.target} ${reference.source} ${reference.type}`;
}

function looseEntryOf(key: string): ReferenceEntry {
  return { target: key.slice(0, 64) as SHA256Hash, source: key.slice(65, 129) as SHA256Hash, type: key.slice(130) };
}

/**
 * Every refKey or looseKey whose target is between `first` and `last` (inclusive): the keys that
 * start with "<target> " are at least "<target> " and below "<target>!", '!' following ' '.
 */
function targetRange(first: string, last = first): IDBKeyRange {
  return IDBKeyRange.bound(`${first} `, `${last}!`, false, true);
}

/**
 * Structured clone copies a view's whole buffer: a 10-byte view of a 1 MiB buffer would store 1 MiB.
 * Views that do not span their (non-shared) buffer are copied first.
 */
function ownBytes(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? bytes : bytes.slice();
}
