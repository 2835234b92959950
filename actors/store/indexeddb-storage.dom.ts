import { deleteDB, openDB, unwrap, type DBSchema, type IDBPDatabase, type IDBPObjectStore, type IDBPTransaction, type StoreNames } from 'idb';
import { checkWriteBatch } from './batch-check.ts';
import type { SHA256Hash } from './hash.ts';
import { StoreError } from './store-error.ts';
import type { Arrival, BlobSink, ReferenceEntry, StorageAdapter, WriteBatch } from './storage-adapter.ts';

/**
 * The browser backend: a sparse store in IndexedDB, one database per name. Sparse means it may lack
 * objects that exist elsewhere and fetch them later; an absent object is simply `undefined`.
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
const DATABASE_VERSION = 2;
const ACKNOWLEDGED: IDBTransactionOptions = { durability: 'strict' };
const CLEANUP: IDBTransactionOptions = { durability: 'relaxed' };

interface ObjectRecord {
  readonly type: string;
  readonly bytes: Uint8Array;
}

/** One arrival: the key, generated in write order, is the object's sequence number. */
interface ArrivalRecord {
  readonly hash: string;
  readonly type: string;
}

/** A committed BLOB: its chunks live in blobChunks under [sinkId, 0 … chunks - 1]. */
interface BlobRecord {
  readonly sinkId: string;
  readonly chunks: number;
  readonly size: number;
}

interface LamaDb extends DBSchema {
  objects: { key: string; value: ObjectRecord };
  /** Key [target, source]: a key range over the primary key answers "who references target", sorted by source. */
  references: { key: [string, string]; value: ReferenceEntry; indexes: { byTargetType: [string, string] } };
  heads: { key: string; value: string[] };
  secrets: { key: string; value: Uint8Array };
  blobs: { key: string; value: BlobRecord };
  blobChunks: { key: [string, number]; value: Uint8Array };
  arrivals: { key: number; value: ArrivalRecord; indexes: { byHash: string } };
}

type StoreName = StoreNames<LamaDb>;

export class IndexedDbStorage implements StorageAdapter {
  readonly #db: IDBPDatabase<LamaDb>;
  #closed = false;

  private constructor(db: IDBPDatabase<LamaDb>) {
    this.#db = db;
  }

  /** Opens (creating if needed) the database `name`. */
  static async open(name: string): Promise<IndexedDbStorage> {
    // The callbacks below run after open resolves; they reach the instance through this slot.
    const opened: { instance?: IndexedDbStorage } = {};
    const db = await openDB<LamaDb>(name, DATABASE_VERSION, {
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
          // Objects stored before arrival order existed get sequence numbers in key order.
          for (let cursor = await tx.objectStore('objects').openCursor(); cursor; cursor = await cursor.continue()) {
            await arrivals.add({ hash: cursor.key, type: cursor.value.type });
          }
        }
      },
      // Another connection wants to delete or upgrade this database (reset, a newer app version in
      // another tab): step aside instead of blocking it; later calls here fail with CLOSED.
      blocking: () => void opened.instance?.close(),
      // The browser closed the connection (storage cleared, disk failure).
      terminated: () => {
        if (opened.instance) opened.instance.#closed = true;
      },
    });
    opened.instance = new IndexedDbStorage(db);
    return opened.instance;
  }

  /** Deletes the database `name` and everything in it. Open instances of it close themselves. */
  static async destroy(name: string): Promise<void> {
    await deleteDB(name);
  }

  /** Applies the whole batch in one readwrite transaction over the stores it touches. */
  async write(batch: WriteBatch): Promise<void> {
    this.#checkOpen();
    checkWriteBatch(batch);
    const { objects = [], references = [], heads = [], secrets = [] } = batch;
    const names: StoreName[] = [];
    if (objects.length > 0) names.push('objects', 'arrivals');
    if (references.length > 0) names.push('references');
    if (heads.length > 0) names.push('heads');
    if (secrets.length > 0) names.push('secrets');
    if (names.length === 0) return;
    const tx = this.#transaction(names, 'readwrite', ACKNOWLEDGED);
    // Every request is issued before anything is awaited; the transaction's completion is the one
    // thing awaited. Raw requests (not idb's promises) so an aborted batch leaves no unhandled rejections.
    await finish(tx, (raw) => {
      if (objects.length > 0) {
        const store = raw.objectStore('objects');
        const arrivals = raw.objectStore('arrivals');
        // Success events fire in request order, so sequence numbers follow the batch's order.
        for (const { hash, type, bytes } of objects) {
          addIfAbsent(store, { type, bytes: ownBytes(bytes) } satisfies ObjectRecord, hash, () => arrivals.add({ hash, type } satisfies ArrivalRecord));
        }
      }
      if (references.length > 0) {
        const store = raw.objectStore('references');
        for (const { target, source, type } of references) store.put({ target, source, type } satisfies ReferenceEntry);
      }
      if (heads.length > 0) {
        const store = raw.objectStore('heads');
        for (const { idHash, heads: set } of heads) store.put([...set].sort(), idHash);
      }
      if (secrets.length > 0) {
        const store = raw.objectStore('secrets');
        for (const { name, value } of secrets) {
          if (value === null) store.delete(name);
          else store.put(ownBytes(value), name);
        }
      }
    });
  }

  async getObjects(hashes: readonly SHA256Hash[]): Promise<(Uint8Array | undefined)[]> {
    this.#checkOpen();
    if (hashes.length === 0) return [];
    const store = this.#readonly('objects');
    const records = await Promise.all(hashes.map((hash) => store.get(hash)));
    return records.map((record) => record?.bytes);
  }

  async hasObjects(hashes: readonly SHA256Hash[]): Promise<boolean[]> {
    this.#checkOpen();
    if (hashes.length === 0) return [];
    const store = this.#readonly('objects');
    const keys = await Promise.all(hashes.map((hash) => store.getKey(hash)));
    return keys.map((key) => key !== undefined);
  }

  async getSeqs(hashes: readonly SHA256Hash[]): Promise<(number | undefined)[]> {
    this.#checkOpen();
    if (hashes.length === 0) return [];
    const index = this.#readonly('arrivals').index('byHash');
    return Promise.all(hashes.map((hash) => index.getKey(hash)));
  }

  async arrivalsAfter(seq: number, limit: number): Promise<Arrival[]> {
    this.#checkOpen();
    const store = this.#readonly('arrivals');
    const range = IDBKeyRange.lowerBound(seq, true);
    const [keys, values] = await Promise.all([store.getAllKeys(range, limit), store.getAll(range, limit)]);
    return values.map((value, i) => ({ seq: keys[i]!, hash: value.hash as SHA256Hash, type: value.type }));
  }

  async lastSeq(): Promise<number> {
    this.#checkOpen();
    const cursor = await this.#readonly('arrivals').openKeyCursor(null, 'prev');
    return cursor?.key ?? 0;
  }

  async getHeads(idHash: SHA256Hash): Promise<SHA256Hash[]> {
    const heads = await this.#readonly('heads').get(idHash);
    return (heads ?? []) as SHA256Hash[];
  }

  async getReferencing(target: SHA256Hash, type?: string): Promise<SHA256Hash[]> {
    const store = this.#readonly('references');
    // Both answers come in key order, i.e. sorted by source (hex hashes: code-unit order = JS sort order).
    // [target] < [target, any string] < [target, []]: an array sorts after every string.
    const keys =
      type === undefined
        ? await store.getAllKeys(IDBKeyRange.bound([target], [target, []]))
        : await store.index('byTargetType').getAllKeys(IDBKeyRange.only([target, type]));
    return keys.map(([, source]) => source as SHA256Hash);
  }

  async getReferencingMany(targets: readonly SHA256Hash[], type: string): Promise<ReferenceEntry[]> {
    this.#checkOpen();
    const index = this.#readonly('references').index('byTargetType');
    const unique = [...new Set(targets)].sort();
    const found = await Promise.all(unique.map((target) => index.getAllKeys(IDBKeyRange.only([target, type]))));
    return found.flatMap((keys, i) => keys.map(([, source]) => ({ target: unique[i]!, source: source as SHA256Hash, type })));
  }

  async getSecret(name: string): Promise<Uint8Array | undefined> {
    return this.#readonly('secrets').get(name);
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
          const tx = this.#transaction('blobChunks', 'readwrite', ACKNOWLEDGED);
          await finish(tx, (raw) => raw.objectStore('blobChunks').put(ownBytes(chunk), [sinkId, index]));
        } catch (error) {
          state = 'failed';
          throw error;
        }
      },
      commit: async (hash) => {
        checkWritable();
        state = 'committing';
        try {
          const tx = this.#transaction(['blobs', 'blobChunks'], 'readwrite', ACKNOWLEDGED);
          // One transaction: the existence check and the filing cannot interleave with another commit.
          const exists = (await tx.objectStore('blobs').getKey(hash)) !== undefined;
          await finish(tx, (raw) => {
            // An existing BLOB with that hash is kept (same hash, same bytes); ours are dropped.
            if (exists) raw.objectStore('blobChunks').delete(chunkRange);
            else raw.objectStore('blobs').put({ sinkId, chunks, size } satisfies BlobRecord, hash);
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
        const tx = this.#transaction('blobChunks', 'readwrite', CLEANUP);
        await finish(tx, (raw) => raw.objectStore('blobChunks').delete(chunkRange));
      },
    };
  }

  /** Chunks are read lazily, one short readonly transaction per chunk, only when the consumer asks. */
  async readBlob(hash: SHA256Hash): Promise<AsyncIterable<Uint8Array> | undefined> {
    const record = await this.#readonly('blobs').get(hash);
    return record && this.#chunks(hash, record);
  }

  async hasBlob(hash: SHA256Hash): Promise<boolean> {
    return (await this.#readonly('blobs').getKey(hash)) !== undefined;
  }

  async blobSize(hash: SHA256Hash): Promise<number | undefined> {
    return (await this.#readonly('blobs').get(hash))?.size;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Transactions already running still complete; IndexedDB closes the connection after them.
    this.#db.close();
  }

  async *#chunks(hash: SHA256Hash, record: BlobRecord): AsyncGenerator<Uint8Array> {
    for (let index = 0; index < record.chunks; index++) {
      const chunk = await this.#readonly('blobChunks').get([record.sinkId, index]);
      if (!chunk) throw new StoreError('CORRUPT', `BLOB ${hash} lacks chunk ${index} of ${record.chunks}`);
      yield chunk;
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new StoreError('CLOSED', 'the IndexedDB store is closed');
  }

  #readonly<Name extends StoreName>(name: Name): IDBPObjectStore<LamaDb, Name[], Name, 'readonly'> {
    return this.#transaction(name, 'readonly').objectStore(name);
  }

  #transaction<Name extends StoreName, Mode extends IDBTransactionMode>(
    names: Name | Name[],
    mode: Mode,
    options?: IDBTransactionOptions,
  ): IDBPTransaction<LamaDb, Name[], Mode> {
    this.#checkOpen();
    try {
      return this.#db.transaction(Array.isArray(names) ? names : [names], mode, options);
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
 * Issues the requests of `issue` on the raw transaction, then waits for it to commit. If issuing
 * throws (e.g. a value IndexedDB cannot clone), the transaction is aborted, so requests already
 * issued are rolled back with it, and the error is rethrown.
 */
async function finish<Names extends ArrayLike<StoreName>>(tx: IDBPTransaction<LamaDb, Names, 'readwrite'>, issue: (raw: IDBTransaction) => void): Promise<void> {
  try {
    issue(unwrap(tx));
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // Already finished or aborting: nothing left to roll back.
    }
    await tx.done.catch(() => undefined);
    throw error;
  }
  await tx.done;
}

/**
 * `add` that keeps the stored value when the key exists, without aborting the transaction;
 * `added` runs (inside the transaction) only when the value was new.
 */
function addIfAbsent(store: IDBObjectStore, value: unknown, key: IDBValidKey, added: () => void): void {
  const request = store.add(value, key);
  request.onsuccess = added;
  request.onerror = (event) => {
    if (request.error?.name !== 'ConstraintError') return; // anything else aborts the batch
    event.preventDefault(); // do not abort the transaction
    event.stopPropagation(); // do not reach the transaction's error listeners (idb's `done`)
  };
}

/**
 * Structured clone copies a view's whole buffer: a 10-byte view of a 1 MiB buffer would store 1 MiB.
 * Views that do not span their (non-shared) buffer are copied first.
 */
function ownBytes(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? bytes : bytes.slice();
}
