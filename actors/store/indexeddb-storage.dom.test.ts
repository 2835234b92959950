import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SHA256Hash } from './hash.ts';
import { IndexedDbStorage } from './indexeddb-storage.dom.ts';
import { runStorageAdapterTests } from './storage-adapter-tests.ts';
import type { StorageAdapter, WriteBatch } from './storage-adapter.ts';
import { isStoreError } from './store-error.ts';

// Temporary: the crypto actor's hasher will replace this (same as memory-storage.test.ts).
const hasher = {
  sha256Hex: (data: Uint8Array) => bytesToHex(sha256(data)),
  createSha256: () => {
    const h = sha256.create();
    return { update: (chunk: Uint8Array) => void h.update(chunk), digestHex: () => bytesToHex(h.digest()) };
  },
};

const uniqueName = () => `lama-test-${crypto.randomUUID()}`;
const fakeHash = (digit: string) => digit.repeat(64) as SHA256Hash;

runStorageAdapterTests(
  async () => {
    const name = uniqueName();
    let current = await IndexedDbStorage.open(name);
    return {
      adapter: current,
      hasher,
      reopen: async () => {
        await current.close();
        current = await IndexedDbStorage.open(name);
        return current;
      },
      teardown: async () => {
        await current.close();
        await IndexedDbStorage.destroy(name);
      },
    };
  },
  'IndexedDB',
  { persistent: true },
);

/** A Uint8Array whose buffer was transferred away: it passes checkWriteBatch, but IndexedDB cannot clone it. */
function detachedBytes(): Uint8Array {
  const buffer = new ArrayBuffer(4);
  const view = new Uint8Array(buffer);
  structuredClone(buffer, { transfer: [buffer] });
  return view;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

/** Counts records in one object store through a second connection (what the adapter does not expose). */
async function countRecords(name: string, store: 'blobs' | 'blobChunks' | 'objects' | 'looseReferences'): Promise<number> {
  const db = await openDB(name);
  try {
    return await db.count(store);
  } finally {
    db.close();
  }
}

describe('IndexedDbStorage: IndexedDB-only checks', () => {
  let name: string;
  let adapter: IndexedDbStorage;

  beforeEach(async () => {
    name = uniqueName();
    adapter = await IndexedDbStorage.open(name);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await adapter.close();
    await IndexedDbStorage.destroy(name);
  });

  const before: WriteBatch = {
    heads: [{ idHash: fakeHash('1'), heads: [fakeHash('a')] }],
    secrets: [{ name: 'kept', value: new Uint8Array([1]) }],
  };
  /** Touches all four stores; earlier parts replace what `before` wrote. */
  const batchEndingWith = (last: Partial<WriteBatch>): WriteBatch => ({
    objects: [
      { hash: fakeHash('b'), type: 'Note', bytes: new Uint8Array([2]) },
      { hash: fakeHash('c'), type: 'Note', bytes: new Uint8Array([3]) },
      ...(last.objects ?? []),
    ],
    references: [{ target: fakeHash('f'), source: fakeHash('b'), type: 'Note' }],
    heads: [{ idHash: fakeHash('1'), heads: [fakeHash('b')] }],
    secrets: [{ name: 'kept', value: new Uint8Array([9]) }, { name: 'new', value: new Uint8Array([9]) }, ...(last.secrets ?? [])],
  });

  async function expectOnlyBefore(): Promise<void> {
    expect(await adapter.hasObjects([fakeHash('b'), fakeHash('c'), fakeHash('d')])).toEqual([false, false, false]);
    expect(await adapter.getReferencing(fakeHash('f'))).toEqual([]);
    expect(await adapter.getHeads(fakeHash('1'))).toEqual([fakeHash('a')]);
    expect([...(await adapter.getSecret('kept'))!]).toEqual([1]);
    expect(await adapter.getSecret('new')).toBeUndefined();
  }

  it('rolls back a whole batch when IndexedDB refuses a value midway (DataCloneError)', async () => {
    await adapter.write(before);
    const failing = [
      batchEndingWith({ objects: [{ hash: fakeHash('d'), type: 'Note', bytes: detachedBytes() }] }),
      // Last request of the batch: every other put of the transaction was issued before it fails.
      batchEndingWith({ secrets: [{ name: 'broken', value: detachedBytes() }] }),
    ];
    for (const batch of failing) {
      const error = await rejection(adapter.write(batch));
      expect((error as DOMException).name).toBe('DataCloneError');
      await expectOnlyBefore();
    }
    // The adapter is still usable afterwards.
    await adapter.write(batchEndingWith({}));
    expect(await adapter.hasObjects([fakeHash('b'), fakeHash('c')])).toEqual([true, true]);
  });

  it('rejects and rolls back when the transaction aborts after its requests succeeded', async () => {
    await adapter.write(before);
    // Simulates a failure IndexedDB reports only at commit time (quota, I/O): the secrets put
    // succeeds, then the transaction aborts before it commits.
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      const request = put.apply(this, args);
      if (this.name === 'secrets') request.addEventListener('success', () => this.transaction.abort());
      return request;
    });
    const error = await rejection(adapter.write(batchEndingWith({})));
    expect((error as DOMException).name).toBe('AbortError');
    vi.restoreAllMocks();
    await expectOnlyBefore();
  });

  it('streams a 20 MiB BLOB in 64 KiB chunks and reads chunk i only when asked for it', async () => {
    const chunkSize = 64 * 1024;
    const count = (20 * 1024 * 1024) / chunkSize;
    const written = sha256.create();
    const sink = await adapter.createBlobSink();
    for (let i = 0; i < count; i++) {
      const chunk = crypto.getRandomValues(new Uint8Array(chunkSize));
      written.update(chunk);
      await sink.write(chunk);
    }
    const hash = bytesToHex(written.digest()) as SHA256Hash;
    await sink.commit(hash);
    expect(await adapter.hasBlob(hash)).toBe(true);

    const get = vi.spyOn(IDBObjectStore.prototype, 'get');
    const chunkGets = () => (get.mock.contexts as IDBObjectStore[]).filter((store) => store.name === 'blobChunks').length;
    const chunks = (await adapter.readBlob(hash))!;
    expect(chunkGets()).toBe(0);
    const read = sha256.create();
    let index = 0;
    let total = 0;
    for await (const chunk of chunks) {
      // Chunk `index` has just been read, and nothing beyond it.
      expect(chunkGets()).toBe(index + 1);
      expect(chunk.byteLength).toBe(chunkSize);
      read.update(chunk);
      total += chunk.byteLength;
      index++;
    }
    expect(index).toBe(count);
    expect(total).toBe(20 * 1024 * 1024);
    expect(bytesToHex(read.digest())).toBe(hash);
  });

  it('leaves no stray chunks after abort, or after committing a hash that is already stored', async () => {
    const first = await adapter.createBlobSink();
    await first.write(new Uint8Array([1]));
    await first.write(new Uint8Array([2]));
    await first.commit(fakeHash('b'));

    const duplicate = await adapter.createBlobSink();
    await duplicate.write(new Uint8Array([7, 7, 7]));
    await duplicate.commit(fakeHash('b'));

    const dropped = await adapter.createBlobSink();
    await dropped.write(new Uint8Array([8]));
    await dropped.abort();

    const chunks: number[] = [];
    for await (const chunk of (await adapter.readBlob(fakeHash('b')))!) chunks.push(...chunk);
    expect(chunks).toEqual([1, 2]);
    expect(await countRecords(name, 'blobs')).toBe(1);
    expect(await countRecords(name, 'blobChunks')).toBe(2);
    await expect(dropped.write(new Uint8Array([1]))).rejects.toSatisfy((e) => isStoreError(e, 'CLOSED'));
  });

  it('stores only the bytes of a view, not the whole buffer behind it', async () => {
    const buffer = new Uint8Array(1024 * 1024);
    buffer.set([5, 6, 7], 100);
    await adapter.write({ objects: [{ hash: fakeHash('a'), type: 'Note', bytes: buffer.subarray(100, 103) }] });
    const [stored] = await adapter.getObjects([fakeHash('a')]);
    expect([...stored!]).toEqual([5, 6, 7]);
    expect(stored!.buffer.byteLength).toBe(3);
  });

  it('fails every call with CLOSED after close, including a BLOB read in progress', async () => {
    const sink = await adapter.createBlobSink();
    await sink.write(new Uint8Array([1]));
    await sink.write(new Uint8Array([2]));
    await sink.commit(fakeHash('b'));
    const openSink = await adapter.createBlobSink();
    const reading = (await adapter.readBlob(fakeHash('b')))![Symbol.asyncIterator]();
    expect([...(await reading.next()).value]).toEqual([1]);

    await adapter.close();
    const closed = (e: unknown) => isStoreError(e, 'CLOSED');
    const calls: Promise<unknown>[] = [
      adapter.write({ secrets: [{ name: 'x', value: new Uint8Array([1]) }] }),
      adapter.getObjects([fakeHash('a')]),
      adapter.hasObjects([fakeHash('a')]),
      adapter.getHeads(fakeHash('a')),
      adapter.getReferencing(fakeHash('a')),
      adapter.getSecret('x'),
      adapter.createBlobSink(),
      adapter.readBlob(fakeHash('b')),
      adapter.hasBlob(fakeHash('b')),
      openSink.write(new Uint8Array([1])),
      reading.next(),
    ];
    for (const call of calls) await expect(call).rejects.toSatisfy(closed);
    await openSink.abort(); // quietly: abort runs on error paths
    await adapter.close(); // idempotent
  });

  it('steps aside when the database is destroyed from elsewhere', async () => {
    await adapter.write({ objects: [{ hash: fakeHash('a'), type: 'Note', bytes: new Uint8Array([1]) }] });
    await IndexedDbStorage.destroy(name); // would hang if the open adapter blocked it
    await expect(adapter.getObjects([fakeHash('a')])).rejects.toSatisfy((e) => isStoreError(e, 'CLOSED'));
    const fresh: StorageAdapter = await IndexedDbStorage.open(name);
    expect(await fresh.hasObjects([fakeHash('a')])).toEqual([false]);
    await fresh.close();
  });

  it('stores a new object with one request, its references inside it, and numbers a batch with one more', async () => {
    const target = fakeHash('f');
    const objects = Array.from({ length: 40 }, (_, i) => ({ hash: i.toString(16).padStart(64, '0') as SHA256Hash, type: 'Note', bytes: new Uint8Array([i]) }));
    const references = objects.flatMap(({ hash }) => [
      { target, source: hash, type: 'Note' },
      { target: fakeHash('e'), source: hash, type: 'Note' },
    ]);
    const spies = (['add', 'put', 'get', 'getKey', 'openCursor', 'openKeyCursor'] as const).map((method) => vi.spyOn(IDBObjectStore.prototype, method));
    const indexSpies = (['get', 'getKey', 'openCursor', 'openKeyCursor'] as const).map((method) => vi.spyOn(IDBIndex.prototype, method));
    await adapter.write({ objects, references });
    const calls = (spy: { mock: { calls: unknown[] } }) => spy.mock.calls.length;
    expect(spies.map(calls)).toEqual([40, 0, 0, 0, 0, 0]);
    expect(indexSpies.map(calls)).toEqual([0, 0, 0, 1]); // the greatest seq so far
    vi.restoreAllMocks();
    expect(await adapter.getReferencing(target)).toEqual(objects.map((o) => o.hash));
    expect(await countRecords(name, 'looseReferences')).toBe(0);
  });

  it('gives distinct, growing numbers when two connections write the same database at once', async () => {
    const other = await IndexedDbStorage.open(name);
    try {
      const batch = (prefix: string) => Array.from({ length: 30 }, (_, i) => ({ hash: (prefix + i.toString(16)).padStart(64, '0') as SHA256Hash, type: prefix, bytes: new Uint8Array([i]) }));
      const writes = [];
      for (let round = 0; round < 5; round++) {
        writes.push(adapter.write({ objects: batch(`a${round}`) }), other.write({ objects: batch(`b${round}`) }));
      }
      await Promise.all(writes);
      const arrivals = await adapter.arrivalsAfter(0, 1000);
      expect(arrivals).toHaveLength(300);
      expect(new Set(arrivals.map((a) => a.seq)).size).toBe(300);
      expect(arrivals.map((a) => a.seq)).toEqual([...arrivals.map((a) => a.seq)].sort((x, y) => x - y));
      // Each batch's objects are consecutive, in batch order.
      for (let i = 0; i < 300; i += 30) {
        const slice = arrivals.slice(i, i + 30);
        expect(slice.map((a) => a.hash)).toEqual(batch(slice[0]!.type).map((o) => o.hash));
        expect(slice.at(-1)!.seq - slice[0]!.seq).toBe(29);
      }
      expect(await other.lastSeq()).toBe(arrivals.at(-1)!.seq);
    } finally {
      await other.close();
    }
  });

  it('keeps the references of an object written again only where its record lacks them', async () => {
    const object = { hash: fakeHash('a'), type: 'Note', bytes: new Uint8Array([1]) };
    const listed = { target: fakeHash('b'), source: object.hash, type: 'Note' };
    const extra = { target: fakeHash('c'), source: object.hash, type: 'Sample' };
    await adapter.write({ objects: [object], references: [listed] });
    await adapter.write({ objects: [object, object], references: [listed] });
    expect(await countRecords(name, 'looseReferences')).toBe(0);
    await adapter.write({ objects: [{ ...object, bytes: new Uint8Array([2]) }], references: [listed, extra] });
    expect(await countRecords(name, 'looseReferences')).toBe(1);
    expect([...(await adapter.getObjects([object.hash]))[0]!]).toEqual([1]);
    expect(await adapter.getReferencing(fakeHash('c'))).toEqual([object.hash]);
    expect(await adapter.getReferencing(fakeHash('c'), 'Note')).toEqual([]);
    expect(await adapter.getReferencingMany([fakeHash('c'), fakeHash('b')], 'Sample')).toEqual([extra]);
    expect(await adapter.arrivalsAfter(0, 10)).toEqual([{ seq: 1, hash: object.hash, type: 'Note' }]);
  });

  it('merges references stored in records with loose ones: deduplicated, sorted, by type, per target', async () => {
    const t1 = fakeHash('1');
    const t2 = fakeHash('2');
    const t3 = fakeHash('3');
    await adapter.write({
      objects: [fakeHash('c'), fakeHash('a')].map((hash) => ({ hash, type: 'Note', bytes: new Uint8Array([1]) })),
      references: [
        { target: t1, source: fakeHash('c'), type: 'Note' },
        { target: t3, source: fakeHash('a'), type: 'Note' },
        { target: t1, source: fakeHash('a'), type: 'Note' },
      ],
    });
    // Loose: sources not stored, one also stored-and-listed, and targets around the range read.
    await adapter.write({
      references: [
        { target: t1, source: fakeHash('b'), type: 'Note' },
        { target: t1, source: fakeHash('c'), type: 'Note' },
        { target: t1, source: fakeHash('d'), type: 'Sample' },
        { target: t2, source: fakeHash('e'), type: 'Note' },
        { target: fakeHash('0'), source: fakeHash('9'), type: 'Note' },
        { target: fakeHash('4'), source: fakeHash('8'), type: 'Note' },
      ],
    });
    expect(await adapter.getReferencing(t1)).toEqual(['a', 'b', 'c', 'd'].map(fakeHash));
    expect(await adapter.getReferencing(t1, 'Note')).toEqual(['a', 'b', 'c'].map(fakeHash));
    expect(await adapter.getReferencing(t1, 'Sample')).toEqual([fakeHash('d')]);
    expect(await adapter.getReferencingMany([t3, t1, t3], 'Note')).toEqual([
      ...['a', 'b', 'c'].map((d) => ({ target: t1, source: fakeHash(d), type: 'Note' })),
      { target: t3, source: fakeHash('a'), type: 'Note' },
    ]);
  });

  it('lists no arrivals for a limit below one, and all of them for one beyond 32 bits', async () => {
    await adapter.write({ objects: ['a', 'b'].map((d) => ({ hash: fakeHash(d), type: 'Note', bytes: new Uint8Array([1]) })) });
    expect(await adapter.arrivalsAfter(0, 0)).toEqual([]);
    expect((await adapter.arrivalsAfter(0, Number.MAX_SAFE_INTEGER)).map((a) => a.hash)).toEqual([fakeHash('a'), fakeHash('b')]);
  });

  it('answers reads of what it just stored or read without a transaction, with copies', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    await adapter.write({ objects: [{ hash: fakeHash('a'), type: 'Note', bytes }] });
    bytes[0] = 9; // the caller's array changes after the write: the store keeps what was written
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const [first] = await adapter.getObjects([fakeHash('a')]);
    expect([...first!]).toEqual([1, 2, 3]);
    first![1] = 9; // and a reader changing what it got changes nothing stored
    expect([...(await adapter.getObjects([fakeHash('a')]))[0]!]).toEqual([1, 2, 3]);
    expect(await adapter.hasObjects([fakeHash('a')])).toEqual([true]);
    expect(await adapter.getSeqs([fakeHash('a')])).toEqual([1]);
    expect(transactions).not.toHaveBeenCalled();
    // Unknown hashes are asked for, in one transaction, and answered in request order.
    expect(await adapter.hasObjects([fakeHash('b'), fakeHash('a')])).toEqual([false, true]);
    expect((await adapter.getObjects([fakeHash('b'), fakeHash('a')])).map((b) => b && [...b])).toEqual([undefined, [1, 2, 3]]);
    expect(transactions).toHaveBeenCalledTimes(2);
    await expect(adapter.getObjects([fakeHash('a')])).resolves.toHaveLength(1);
    await adapter.close();
    await expect(adapter.getObjects([fakeHash('a')])).rejects.toSatisfy((e) => isStoreError(e, 'CLOSED'));
  });

  it('remembers the bytes IndexedDB kept, not those of a write that found the hash stored', async () => {
    const other = await IndexedDbStorage.open(name);
    try {
      await other.write({ objects: [{ hash: fakeHash('a'), type: 'Note', bytes: new Uint8Array([1]) }] });
      await adapter.write({ objects: [{ hash: fakeHash('a'), type: 'Note', bytes: new Uint8Array([2]) }] });
      expect([...(await adapter.getObjects([fakeHash('a')]))[0]!]).toEqual([1]);
      expect([...(await adapter.getObjects([fakeHash('a')]))[0]!]).toEqual([1]);
    } finally {
      await other.close();
    }
  });

  it('forgets the least recently used records beyond its bound, and still reads them from IndexedDB', async () => {
    const hashOf = (i: number) => i.toString(16).padStart(64, '0') as SHA256Hash;
    const objects = Array.from({ length: 9000 }, (_, i) => ({ hash: hashOf(i), type: 'Note', bytes: new Uint8Array([i & 0xff]) }));
    for (let i = 0; i < objects.length; i += 1000) await adapter.write({ objects: objects.slice(i, i + 1000) });
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    expect((await adapter.getObjects([hashOf(8999)]))[0]).toEqual(new Uint8Array([8999 & 0xff]));
    expect(transactions).not.toHaveBeenCalled();
    expect((await adapter.getObjects([hashOf(0)]))[0]).toEqual(new Uint8Array([0]));
    expect(transactions).toHaveBeenCalledTimes(1);
  });

  it('commits every read, and every write without objects, as soon as its requests are made', async () => {
    // Left to auto-commit, such a transaction holds its stores until the page has run each result's
    // callback; a write queued behind it would wait for a main thread busy with the sync.
    await adapter.write({ objects: [{ hash: fakeHash('a'), type: 'Note', bytes: new Uint8Array([1]) }] });
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const commits = vi.spyOn(IDBTransaction.prototype, 'commit');
    await adapter.getObjects([fakeHash('b')]);
    await adapter.hasObjects([fakeHash('b')]);
    await adapter.getSeqs([fakeHash('b')]);
    await adapter.getReferencing(fakeHash('a'));
    await adapter.getReferencingMany([fakeHash('a')], 'Note');
    await adapter.getHeads(fakeHash('a'));
    await adapter.getSecret('x');
    await adapter.arrivalsAfter(0, 5);
    await adapter.lastSeq();
    await adapter.write({ heads: [{ idHash: fakeHash('1'), heads: [fakeHash('a')] }], secrets: [{ name: 'x', value: new Uint8Array([1]) }] });
    const sink = await adapter.createBlobSink();
    await sink.write(new Uint8Array([1]));
    await sink.commit(fakeHash('c'));
    expect(await adapter.hasBlob(fakeHash('c'))).toBe(true);
    expect(transactions).toHaveBeenCalledTimes(13);
    expect(commits).toHaveBeenCalledTimes(13);
  });

  it('numbers the objects of a version 1 database in key order when it upgrades', async () => {
    await adapter.close();
    await IndexedDbStorage.destroy(name);
    const old = await openDB(name, 1, {
      upgrade(db) {
        for (const store of ['objects', 'heads', 'secrets', 'blobs', 'blobChunks']) db.createObjectStore(store);
        db.createObjectStore('references', { keyPath: ['target', 'source'] }).createIndex('byTargetType', ['target', 'type']);
      },
    });
    await old.put('objects', { type: 'Note', bytes: new Uint8Array([2]) }, fakeHash('b'));
    await old.put('objects', { type: 'Sample', bytes: new Uint8Array([1]) }, fakeHash('a'));
    old.close();
    adapter = await IndexedDbStorage.open(name);
    expect(await adapter.arrivalsAfter(0, 10)).toEqual([
      { seq: 1, hash: fakeHash('a'), type: 'Sample' },
      { seq: 2, hash: fakeHash('b'), type: 'Note' },
    ]);
    await adapter.write({ objects: [{ hash: fakeHash('c'), type: 'Note', bytes: new Uint8Array([3]) }] });
    expect(await adapter.getSeqs([fakeHash('c')])).toEqual([3]);
  });
});
