import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectChunks as collect } from './collect-chunks.ts';
import { encodeObject } from './encoding.ts';
import type { SHA256Hash } from './hash.ts';
import type { Hasher } from './hasher.ts';
import { MemoryStorage } from './memory-storage.ts';
import { ObjectStore } from './object-store.ts';
import type { LamaObject, Recipe } from './recipes.ts';
import type { StorageAdapter } from './storage-adapter.ts';
import { isStoreError, type StoreErrorCode } from './store-error.ts';
import type { VersionNode } from './store-recipes.ts';

/**
 * The acceptance suite every StorageAdapter passes (memory, SQLite, IndexedDB): first the raw
 * adapter contract, then the object store's behaviour on top of it. Backend-only checks (SIGKILL
 * atomicity, files on disk) live in the backend's own test file beside its call of this suite.
 */
export interface AdapterFixture {
  readonly adapter: StorageAdapter;
  readonly hasher: Hasher;
  /** Closes and opens the same storage again; absent for backends that do not persist. */
  readonly reopen?: () => Promise<StorageAdapter>;
  readonly teardown: () => Promise<void>;
}

export const NoteRecipe: Recipe = {
  name: 'Note',
  fields: {
    text: { type: { kind: 'string' } },
    n: { type: { kind: 'integer' }, optional: true },
  },
};

/** Exercises every field kind. */
export const SampleRecipe: Recipe = {
  name: 'Sample',
  fields: {
    title: { type: { kind: 'string' } },
    count: { type: { kind: 'integer' } },
    ratio: { type: { kind: 'number' } },
    done: { type: { kind: 'boolean' } },
    raw: { type: { kind: 'bytes' } },
    about: { type: { kind: 'ref' }, optional: true },
    owner: { type: { kind: 'idref' }, optional: true },
    attachment: { type: { kind: 'blob' }, optional: true },
    tags: { type: { kind: 'list', item: { kind: 'string' } } },
    scores: { type: { kind: 'map', value: { kind: 'integer' } } },
    place: { type: { kind: 'record', fields: { lat: { type: { kind: 'number' } }, label: { type: { kind: 'string' }, optional: true } } }, optional: true },
  },
};

/** A versioned type: `key` names the thing, `value` changes between versions. */
export const SettingRecipe: Recipe = {
  name: 'Setting',
  fields: {
    key: { type: { kind: 'string' }, identity: true },
    value: { type: { kind: 'string' } },
  },
};

const RECIPES = [NoteRecipe, SampleRecipe, SettingRecipe];

const hashOf = (hasher: Hasher, bytes: Uint8Array) => hasher.sha256Hex(bytes) as SHA256Hash;
const fakeHash = (digit: string) => digit.repeat(64) as SHA256Hash;

async function expectStoreError(promise: Promise<unknown>, code: StoreErrorCode): Promise<void> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isStoreError(error, code)) throw new Error(`expected StoreError ${code}, got ${String(error)}`);
}

function patterned(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return bytes;
}

export interface SuiteOptions {
  /** The backend keeps data across close and reopen (the fixture then has `reopen`). */
  readonly persistent: boolean;
}

export function runStorageAdapterTests(setup: () => Promise<AdapterFixture>, title: string, options: SuiteOptions): void {
  describe(`${title} storage adapter: acceptance suite`, () => {
    let fixture: AdapterFixture;
    let adapter: StorageAdapter;
    let store: ObjectStore;

    beforeEach(async () => {
      fixture = await setup();
      adapter = fixture.adapter;
      store = new ObjectStore({ adapter, hasher: fixture.hasher, recipes: RECIPES });
    });
    afterEach(async () => {
      await fixture.teardown();
    });

    describe('raw contract', () => {
      it('returns written bytes by hash, in request order, undefined where absent', async () => {
        const a = { hash: fakeHash('a'), type: 'Note', bytes: new Uint8Array([1, 2, 3]) };
        const b = { hash: fakeHash('b'), type: 'Note', bytes: new Uint8Array([4]) };
        await adapter.write({ objects: [a, b] });
        const got = await adapter.getObjects([b.hash, fakeHash('c'), a.hash]);
        expect(got.map((x) => (x ? [...x] : undefined))).toEqual([[4], undefined, [1, 2, 3]]);
        expect(await adapter.hasObjects([a.hash, fakeHash('c')])).toEqual([true, false]);
      });

      it('keeps the first bytes stored under a hash', async () => {
        await adapter.write({ objects: [{ hash: fakeHash('a'), type: 'Note', bytes: new Uint8Array([1]) }] });
        await adapter.write({ objects: [{ hash: fakeHash('a'), type: 'Note', bytes: new Uint8Array([2]) }] });
        expect([...(await adapter.getObjects([fakeHash('a')]))[0]!]).toEqual([1]);
      });

      it('refuses a malformed batch whole', async () => {
        const good = { hash: fakeHash('a'), type: 'Note', bytes: new Uint8Array([1]) };
        const bad = { hash: 'not-a-hash' as SHA256Hash, type: 'Note', bytes: new Uint8Array([2]) };
        await expect(adapter.write({ objects: [good, bad], heads: [{ idHash: fakeHash('d'), heads: [fakeHash('a')] }] })).rejects.toThrow();
        expect(await adapter.hasObjects([good.hash])).toEqual([false]);
        expect(await adapter.getHeads(fakeHash('d'))).toEqual([]);
      });

      it('answers reverse lookups by target, filtered by type, sorted', async () => {
        const t = fakeHash('f');
        await adapter.write({
          references: [
            { target: t, source: fakeHash('c'), type: 'Note' },
            { target: t, source: fakeHash('a'), type: 'Sample' },
            { target: t, source: fakeHash('b'), type: 'Note' },
            { target: t, source: fakeHash('b'), type: 'Note' },
            { target: fakeHash('e'), source: fakeHash('d'), type: 'Note' },
          ],
        });
        expect(await adapter.getReferencing(t)).toEqual([fakeHash('a'), fakeHash('b'), fakeHash('c')]);
        expect(await adapter.getReferencing(t, 'Note')).toEqual([fakeHash('b'), fakeHash('c')]);
        expect(await adapter.getReferencing(fakeHash('0'))).toEqual([]);
        expect(await adapter.getReferencingMany([fakeHash('e'), t, fakeHash('0'), t], 'Note')).toEqual([
          { target: fakeHash('e'), source: fakeHash('d'), type: 'Note' },
          { target: t, source: fakeHash('b'), type: 'Note' },
          { target: t, source: fakeHash('c'), type: 'Note' },
        ]);
        expect(await adapter.getReferencingMany([], 'Note')).toEqual([]);
      });

      it('replaces the head set of an ID', async () => {
        const id = fakeHash('1');
        expect(await adapter.getHeads(id)).toEqual([]);
        await adapter.write({ heads: [{ idHash: id, heads: [fakeHash('b'), fakeHash('a')] }] });
        expect((await adapter.getHeads(id)).sort()).toEqual([fakeHash('a'), fakeHash('b')]);
        await adapter.write({ heads: [{ idHash: id, heads: [fakeHash('c')] }] });
        expect(await adapter.getHeads(id)).toEqual([fakeHash('c')]);
      });

      it('stores, replaces and deletes secrets', async () => {
        expect(await adapter.getSecret('keys')).toBeUndefined();
        await adapter.write({ secrets: [{ name: 'keys', value: new Uint8Array([1, 2]) }] });
        await adapter.write({ secrets: [{ name: 'keys', value: new Uint8Array([3]) }] });
        expect([...(await adapter.getSecret('keys'))!]).toEqual([3]);
        await adapter.write({ secrets: [{ name: 'keys', value: null }] });
        expect(await adapter.getSecret('keys')).toBeUndefined();
      });

      it('files a BLOB only on commit, and drops it on abort', async () => {
        const sink = await adapter.createBlobSink();
        await sink.write(new Uint8Array([1, 2]));
        await sink.write(new Uint8Array([3]));
        expect(await adapter.hasBlob(fakeHash('b'))).toBe(false);
        await sink.commit(fakeHash('b'));
        expect([...(await collect((await adapter.readBlob(fakeHash('b')))!))]).toEqual([1, 2, 3]);
        expect(await adapter.blobSize(fakeHash('b'))).toBe(3);

        const dropped = await adapter.createBlobSink();
        await dropped.write(new Uint8Array([9]));
        await dropped.abort();
        expect(await adapter.readBlob(fakeHash('c'))).toBeUndefined();
        expect(await adapter.blobSize(fakeHash('c'))).toBeUndefined();
      });

      it('finishes a BLOB sink once', async () => {
        const sink = await adapter.createBlobSink();
        await sink.write(new Uint8Array([1]));
        await sink.commit(fakeHash('a'));
        await expectStoreError(sink.write(new Uint8Array([2])), 'CLOSED');
        await expectStoreError(sink.commit(fakeHash('b')), 'CLOSED');
        await sink.abort();
        expect(await adapter.hasBlob(fakeHash('a'))).toBe(true);
        expect(await adapter.hasBlob(fakeHash('b'))).toBe(false);
      });

      it('numbers objects in arrival order, once, and lists what arrived after a number', async () => {
        const object = (digit: string, type = 'Note') => ({ hash: fakeHash(digit), type, bytes: new Uint8Array([digit.charCodeAt(0)]) });
        expect(await adapter.lastSeq()).toBe(0);
        expect(await adapter.arrivalsAfter(0, 10)).toEqual([]);
        await adapter.write({ objects: [object('c'), object('a', 'Sample')] });
        await adapter.write({ objects: [object('a'), object('b')] }); // a again keeps its first number
        const [c, a, b] = (await adapter.getSeqs([fakeHash('c'), fakeHash('a'), fakeHash('b')])) as number[];
        expect(c! < a! && a! < b!).toBe(true);
        expect(await adapter.getSeqs([fakeHash('d')])).toEqual([undefined]);
        expect(await adapter.getSeqs([fakeHash('b'), fakeHash('d'), fakeHash('c')])).toEqual([b, undefined, c]);
        expect(await adapter.hasObjects([fakeHash('b'), fakeHash('d'), fakeHash('c')])).toEqual([true, false, true]);
        expect(await adapter.lastSeq()).toBe(b);
        expect(await adapter.arrivalsAfter(0, 10)).toEqual([
          { seq: c, hash: fakeHash('c'), type: 'Note' },
          { seq: a, hash: fakeHash('a'), type: 'Sample' },
          { seq: b, hash: fakeHash('b'), type: 'Note' },
        ]);
        expect((await adapter.arrivalsAfter(c!, 1)).map((x) => x.hash)).toEqual([fakeHash('a')]);
        expect(await adapter.arrivalsAfter(b!, 10)).toEqual([]);
        if (fixture.reopen) {
          adapter = await fixture.reopen();
          await adapter.write({ objects: [object('e')] });
          const [e] = await adapter.getSeqs([fakeHash('e')]);
          expect(e! > b!).toBe(true);
          expect((await adapter.arrivalsAfter(0, 10)).map((x) => x.hash)).toEqual(['c', 'a', 'b', 'e'].map(fakeHash));
        }
      });

      it('refuses every call after close, and closes idempotently', async () => {
        await adapter.close();
        await adapter.close();
        await expectStoreError(adapter.getObjects([fakeHash('a')]), 'CLOSED');
        await expectStoreError(adapter.write({ objects: [] }), 'CLOSED');
        await expectStoreError(adapter.getHeads(fakeHash('a')), 'CLOSED');
        await expectStoreError(adapter.createBlobSink(), 'CLOSED');
      });
    });

    describe('object store on this adapter', () => {
      const sample: LamaObject & Record<string, unknown> = {
        $type$: 'Sample',
        title: 'héllo ✓',
        count: -42,
        ratio: 0.25,
        done: true,
        raw: new Uint8Array([0, 255, 7]),
        about: fakeHash('a'),
        owner: fakeHash('b'),
        attachment: fakeHash('c'),
        tags: ['x', 'y'],
        scores: { alice: 3, bob: -1 },
        place: { lat: 47.5 },
      };

      it('round-trips every field kind and addresses the object by the SHA-256 of its encoding', async () => {
        const hash = await store.put(sample);
        expect(hash).toBe(hashOf(fixture.hasher, encodeObject(sample)));
        expect(await store.get(hash)).toEqual(sample);
      });

      it('maps every reference back to its source', async () => {
        const hash = await store.put(sample);
        expect(await store.referencing(fakeHash('a'))).toEqual([hash]);
        expect(await store.referencing(fakeHash('b'), 'Sample')).toEqual([hash]);
        expect(await store.referencing(fakeHash('c'), 'Note')).toEqual([]);
      });

      it('refuses bad objects with a typed error and writes nothing of their batch', async () => {
        const good = { $type$: 'Note', text: 'fine' };
        const cases: [LamaObject, StoreErrorCode][] = [
          [{ $type$: 'Nope' }, 'UNKNOWN_TYPE'],
          [{ $type$: 'Note' }, 'MISSING_FIELD'],
          [{ $type$: 'Note', text: 7 } as LamaObject, 'FIELD_TYPE'],
          [{ $type$: 'Note', text: 'x', n: 1.5 } as LamaObject, 'FIELD_TYPE'],
          [{ $type$: 'Note', text: 'x', extra: 1 } as LamaObject, 'UNKNOWN_FIELD'],
          [{ $type$: 'Note', text: 'x'.repeat(1024 * 1024 + 1) } as LamaObject, 'TOO_LARGE'],
          [{ ...sample, about: 'abc' } as LamaObject, 'FIELD_TYPE'],
        ];
        for (const [bad, code] of cases) await expectStoreError(store.putMany([good, bad]), code);
        expect(await store.has([store.prepare(good).hash])).toEqual([false]);
      });

      it('reports bytes that do not match their hash as HASH_MISMATCH', async () => {
        const real = store.prepare({ $type$: 'Note', text: 'original' } as LamaObject);
        const forged = store.prepare({ $type$: 'Note', text: 'forged' } as LamaObject);
        await adapter.write({ objects: [{ hash: real.hash, type: 'Note', bytes: forged.bytes }] });
        await expectStoreError(store.get(real.hash), 'HASH_MISMATCH');
      });

      it('reports undecodable or ill-typed bytes as CORRUPT', async () => {
        const garbage = new Uint8Array([0xff, 0x00, 0x13]);
        const wrongShape = encodeObject({ $type$: 'Note', text: 12 } as LamaObject);
        for (const bytes of [garbage, wrongShape]) {
          const hash = hashOf(fixture.hasher, bytes);
          await adapter.write({ objects: [{ hash, type: 'Note', bytes }] });
          await expectStoreError(store.get(hash), 'CORRUPT');
        }
      });

      it('says NOT_FOUND for an absent object and undefined in bulk reads', async () => {
        await expectStoreError(store.get(fakeHash('9')), 'NOT_FOUND');
        const hash = await store.put({ $type$: 'Note', text: 'here' } as LamaObject);
        expect((await store.getMany([fakeHash('9'), hash])).map((o) => o?.$type$)).toEqual([undefined, 'Note']);
      });

      it('keeps versions: latest, history newest first, and no new version for unchanged data', async () => {
        const v1 = await store.putVersioned({ $type$: 'Setting', key: 'theme', value: 'light' } as LamaObject);
        const v2 = await store.putVersioned({ $type$: 'Setting', key: 'theme', value: 'dark' } as LamaObject);
        const again = await store.putVersioned({ $type$: 'Setting', key: 'theme', value: 'dark' } as LamaObject);
        expect(v2.idHash).toBe(v1.idHash);
        expect(again.versionHash).toBe(v2.versionHash);
        const latest = await store.getLatest(v1.idHash);
        expect(latest?.object).toMatchObject({ value: 'dark' });
        expect(latest?.heads).toEqual([v2.versionHash]);
        const history = await store.getHistory(v1.idHash);
        expect(history.map((h) => h.versionHash)).toEqual([v2.versionHash, v1.versionHash]);
        expect(history[0]!.node.parents).toEqual([v1.versionHash]);
        expect(await store.get(v1.idHash)).toEqual({ $type$: 'Setting', $id$: true, key: 'theme' });
      });

      it('commits objects, versions and secrets together, or nothing of them', async () => {
        const plan = {
          objects: [{ $type$: 'Note', text: 'with the user' } as LamaObject],
          versioned: [
            { $type$: 'Setting', key: 'a', value: '1' } as LamaObject,
            { $type$: 'Setting', key: 'a', value: '2' } as LamaObject,
          ],
          secrets: [{ name: 'sealed', value: new Uint8Array([1]) }],
        };
        await expectStoreError(store.commit({ ...plan, versioned: [...plan.versioned, { $type$: 'Setting', key: 'b' } as LamaObject] }), 'MISSING_FIELD');
        expect(await adapter.getSecret('sealed')).toBeUndefined();
        expect(await store.has([store.prepare(plan.objects[0]!).hash])).toEqual([false]);

        const { hashes, versions } = await store.commit(plan);
        expect(await store.has(hashes)).toEqual([true]);
        expect([...(await adapter.getSecret('sealed'))!]).toEqual([1]);
        expect(versions[1]!.idHash).toBe(versions[0]!.idHash);
        const history = await store.getHistory(versions[0]!.idHash);
        expect(history.map((h) => h.versionHash)).toEqual([versions[1]!.versionHash, versions[0]!.versionHash]);
        expect((await store.getLatest(versions[0]!.idHash))?.object).toMatchObject({ value: '2' });
      });

      it('merges versions written concurrently on two devices into one history', async () => {
        const other = new ObjectStore({ adapter: new MemoryStorage(), hasher: fixture.hasher, recipes: RECIPES, now: () => 5_000 });
        const base = await store.putVersioned({ $type$: 'Setting', key: 'k', value: 'base' } as LamaObject);
        await copyVersions(store, other, base.idHash);
        const mine = await store.putVersioned({ $type$: 'Setting', key: 'k', value: 'mine' } as LamaObject);
        const theirs = await other.putVersioned({ $type$: 'Setting', key: 'k', value: 'theirs' } as LamaObject);
        await copyVersions(store, other, base.idHash);
        await copyVersions(other, store, base.idHash);
        const heads = [mine.versionHash, theirs.versionHash].sort();
        expect((await store.getHeads(base.idHash)).sort()).toEqual(heads);
        expect((await other.getHeads(base.idHash)).sort()).toEqual(heads);
        const here = await store.getLatest(base.idHash);
        const there = await other.getLatest(base.idHash);
        expect(here?.hash).toBe(there?.hash);
        const merged = await store.putVersioned({ $type$: 'Setting', key: 'k', value: 'merged' } as LamaObject);
        expect(await store.getHeads(base.idHash)).toEqual([merged.versionHash]);
        expect((await store.get<VersionNode>(merged.versionHash)).parents).toEqual(heads);
      });

      it('converges on the same heads whatever order versions arrive in', async () => {
        const source = new ObjectStore({ adapter: new MemoryStorage(), hasher: fixture.hasher, recipes: RECIPES });
        const writes = [];
        for (const value of ['a', 'b', 'c', 'd']) writes.push(await source.putVersioned({ $type$: 'Setting', key: 'o', value } as LamaObject));
        const nodes = await source.getMany<VersionNode>(writes.map((w) => w.versionHash));
        for (const index of [3, 1, 0, 2]) await store.addVersionNode(nodes[index]!);
        expect(await store.getHeads(writes[0]!.idHash)).toEqual([writes[3]!.versionHash]);
      });

      it('imports objects and versions that arrive as bytes from a peer', async () => {
        const peer = new ObjectStore({ adapter: new MemoryStorage(), hasher: fixture.hasher, recipes: RECIPES });
        const note = await peer.put({ $type$: 'Note', text: 'from afar' } as LamaObject);
        const v1 = await peer.putVersioned({ $type$: 'Setting', key: 'sync', value: '1' } as LamaObject);
        const v2 = await peer.putVersioned({ $type$: 'Setting', key: 'sync', value: '2' } as LamaObject);
        const history = await peer.getHistory(v1.idHash);
        const hashes = [note, v1.idHash, v1.hash, v2.hash, ...history.map((h) => h.versionHash)];
        const bytes = (await peer.adapter.getObjects(hashes)).map((b) => b!);
        expect(await store.importMany(bytes)).toEqual(hashes);
        expect(await store.get(note)).toMatchObject({ text: 'from afar' });
        expect((await store.getLatest(v1.idHash))?.object).toMatchObject({ value: '2' });
        expect(await store.getHeads(v1.idHash)).toEqual([v2.versionHash]);
      });

      it('refuses a non-canonical import whole', async () => {
        const fine = store.prepare({ $type$: 'Note', text: 'fine' } as LamaObject);
        // {"$type$": "Note", "text": ""} with its keys out of canonical order.
        const unsorted = new Uint8Array([0xa2, 0x66, 0x24, 0x74, 0x79, 0x70, 0x65, 0x24, 0x64, 0x4e, 0x6f, 0x74, 0x65, 0x64, 0x74, 0x65, 0x78, 0x74, 0x60]);
        await expectStoreError(store.importMany([fine.bytes, unsorted]), 'CORRUPT');
        expect(await store.has([fine.hash])).toEqual([false]);
      });

      it('refuses an oversized import as TOO_LARGE', async () => {
        const big = store.prepare({ $type$: 'Note', text: 'x'.repeat(1024 * 1024 - 64) } as LamaObject);
        const huge = new Uint8Array(big.bytes.byteLength + 128);
        huge.set(big.bytes);
        await expectStoreError(Promise.resolve().then(() => store.prepareImport([huge])), 'TOO_LARGE');
      });

      it('announces every acknowledged write: objects, versions, imports and BLOBs', async () => {
        const seen: string[][] = [];
        const stop = store.onWrite((write) => seen.push([...write.objects, ...write.blobs.map((b) => `blob:${b}`)]));
        const note = await store.put({ $type$: 'Note', text: 'heard' } as LamaObject);
        const version = await store.putVersioned({ $type$: 'Setting', key: 'w', value: '1' } as LamaObject);
        const blob = await store.writeBlob([new Uint8Array([1, 2])]);
        const peer = new ObjectStore({ adapter: new MemoryStorage(), hasher: fixture.hasher, recipes: RECIPES });
        const imported = await peer.put({ $type$: 'Note', text: 'imported' } as LamaObject);
        await store.importMany((await peer.adapter.getObjects([imported])).map((b) => b!));
        await expectStoreError(store.put({ $type$: 'Note' } as LamaObject), 'MISSING_FIELD');
        stop();
        await store.put({ $type$: 'Note', text: 'unheard' } as LamaObject);
        expect(seen).toEqual([[note], [version.hash, version.idHash, version.versionHash], [`blob:${blob}`], [imported]]);
      });

      it('files a BLOB written chunk by chunk only when it hashes to the expected hash', async () => {
        const bytes = patterned(5000, 3);
        const expected = hashOf(fixture.hasher, bytes);
        const wrong = await store.openBlobWriter(expected);
        await wrong.write(bytes.subarray(0, 4999));
        await expectStoreError(wrong.finish(), 'HASH_MISMATCH');
        expect(await store.hasBlob(expected)).toBe(false);
        const right = await store.openBlobWriter(expected);
        await right.write(bytes.subarray(0, 2000));
        await right.write(bytes.subarray(2000));
        expect(await right.finish()).toBe(expected);
        expect(await collect(await store.readBlob(expected))).toEqual(bytes);
      });

      it('streams a BLOB in and out and addresses it by the hash of all its bytes', async () => {
        const chunks = Array.from({ length: 40 }, (_, i) => patterned(64 * 1024, i));
        const whole = await collect((async function* () { yield* chunks; })());
        const hash = await store.writeBlob((async function* () { yield* chunks; })());
        expect(hash).toBe(hashOf(fixture.hasher, whole));
        const read = await collect(await store.readBlob(hash));
        // toEqual walks a 2.5 MiB array element by element for seconds; compare lengths and digests.
        expect(read.byteLength).toBe(whole.byteLength);
        expect(hashOf(fixture.hasher, read)).toBe(hash);
      });

      it('leaves nothing behind when a BLOB source fails midway', async () => {
        const failing = (async function* () {
          yield patterned(1000, 1);
          throw new Error('source broke');
        })();
        await expect(store.writeBlob(failing)).rejects.toThrow('source broke');
        expect(await adapter.hasBlob(hashOf(fixture.hasher, patterned(1000, 1)))).toBe(false);
      });

      it('ends a damaged BLOB read with HASH_MISMATCH', async () => {
        const sink = await adapter.createBlobSink();
        await sink.write(new Uint8Array([1, 2, 3]));
        await sink.commit(fakeHash('e'));
        await expectStoreError(collect(await store.readBlob(fakeHash('e'))), 'HASH_MISMATCH');
        await expectStoreError(store.readBlob(fakeHash('d')), 'NOT_FOUND');
      });

      (options.persistent ? it : () => undefined)('keeps everything across close and reopen', async () => {
        if (!fixture.reopen) throw new Error('a persistent backend\'s fixture must offer reopen()');
        const hash = await store.put({ $type$: 'Note', text: 'durable' } as LamaObject);
        const version = await store.putVersioned({ $type$: 'Setting', key: 'p', value: 'v' } as LamaObject);
        const blob = await store.writeBlob([patterned(3000, 2)]);
        await adapter.write({ secrets: [{ name: 's', value: new Uint8Array([5]) }] });
        adapter = await fixture.reopen();
        store = new ObjectStore({ adapter, hasher: fixture.hasher, recipes: RECIPES });
        expect(await store.get(hash)).toEqual({ $type$: 'Note', text: 'durable' });
        expect((await store.getLatest(version.idHash))?.object).toMatchObject({ value: 'v' });
        expect(await collect(await store.readBlob(blob))).toEqual(patterned(3000, 2));
        expect([...(await adapter.getSecret('s'))!]).toEqual([5]);
      });
    });
  });
}

/** Copies every version node and data object of one ID from one store to another. */
async function copyVersions(from: ObjectStore, to: ObjectStore, idHash: SHA256Hash): Promise<void> {
  for (const { node } of (await from.getHistory(idHash)).reverse()) {
    await to.put(await from.get(node.data));
    await to.addVersionNode(node);
  }
}
