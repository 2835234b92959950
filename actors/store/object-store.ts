import { decodeObject, encodeObject, MAX_OBJECT_BYTES } from './encoding.ts';
import type { SHA256Hash } from './hash.ts';
import type { Hasher } from './hasher.ts';
import { KeyLock } from './key-lock.ts';
import { RecipeRegistry, type LamaObject, type Recipe, type Reference } from './recipes.ts';
import type { ReferenceEntry, SecretEntry, StorageAdapter, StoredObject, WriteBatch } from './storage-adapter.ts';
import { StoreError } from './store-error.ts';
import { STORE_RECIPES, type VersionNode } from './store-recipes.ts';

/** An object validated, encoded and hashed, ready to be written. */
export interface PreparedObject extends StoredObject {
  readonly object: LamaObject;
  readonly refs: readonly Reference[];
}

export interface VersionedWrite {
  readonly hash: SHA256Hash;
  readonly idHash: SHA256Hash;
  readonly versionHash: SHA256Hash;
}

export interface CommitPlan {
  readonly objects?: readonly LamaObject[];
  readonly versioned?: readonly LamaObject[];
  readonly secrets?: readonly SecretEntry[];
}

export interface CommitResult {
  /** Hashes of `objects`, in order. */
  readonly hashes: SHA256Hash[];
  /** One entry per `versioned` object, in order. */
  readonly versions: VersionedWrite[];
}

export interface LatestVersion<T extends LamaObject = LamaObject> {
  readonly hash: SHA256Hash;
  readonly object: T;
  readonly versionHash: SHA256Hash;
  readonly heads: readonly SHA256Hash[];
}

export interface ObjectStoreOptions {
  readonly adapter: StorageAdapter;
  readonly hasher: Hasher;
  readonly recipes?: readonly Recipe[];
  /** The clock for version timestamps; tests pass their own. */
  readonly now?: () => number;
}

type BlobSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** What one acknowledged write added: object hashes (new or not) and BLOB hashes. */
export interface StoreWrite {
  readonly objects: readonly SHA256Hash[];
  readonly blobs: readonly SHA256Hash[];
  /** The objects themselves, in the order of `objects`: a listener that filters by type reads nothing back. */
  readonly decoded: readonly LamaObject[];
}

export type WriteListener = (write: StoreWrite) => void;

/** A BLOB being written: chunks in order, then `finish` (files it, returns its hash) or `abort`. */
export interface BlobWriter {
  write(chunk: Uint8Array): Promise<void>;
  finish(): Promise<SHA256Hash>;
  abort(): Promise<void>;
}

/**
 * Our own ONE.core object store (specs/objects.md): validates objects against recipes, encodes them
 * deterministically, addresses them by SHA-256, keeps version histories that merge, reverse maps
 * and BLOBs — over any StorageAdapter. Every read re-hashes the bytes and refuses a mismatch.
 */
export class ObjectStore {
  readonly recipes: RecipeRegistry;
  readonly #adapter: StorageAdapter;
  readonly #hasher: Hasher;
  readonly #now: () => number;
  readonly #versionLock = new KeyLock<SHA256Hash>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #writeListeners = new Set<WriteListener>();

  constructor(options: ObjectStoreOptions) {
    this.#adapter = options.adapter;
    this.#hasher = options.hasher;
    this.#now = options.now ?? Date.now;
    this.recipes = new RecipeRegistry([...STORE_RECIPES, ...(options.recipes ?? [])]);
  }

  get adapter(): StorageAdapter {
    return this.#adapter;
  }

  /** Validates, encodes and hashes without writing: the one place objects become bytes. */
  prepare(object: LamaObject): PreparedObject {
    const refs = this.recipes.validate(object);
    const bytes = encodeObject(object);
    return { hash: this.#hasher.sha256Hex(bytes) as SHA256Hash, type: object.$type$, bytes, object, refs };
  }

  /** The ID object: `$type$`, `$id$: true` and the identity fields alone. */
  idObjectOf(object: LamaObject): LamaObject {
    const identity = this.recipes.identityFields(object.$type$);
    if (identity.length === 0) throw new StoreError('NOT_VERSIONED', `${object.$type$} has no identity fields`);
    const idObject: Record<string, unknown> = { $type$: object.$type$, $id$: true };
    for (const field of identity) idObject[field] = (object as unknown as Record<string, unknown>)[field];
    return idObject as unknown as LamaObject;
  }

  idHashOf(object: LamaObject): SHA256Hash {
    return this.prepare(this.idObjectOf(object)).hash;
  }

  async put(object: LamaObject): Promise<SHA256Hash> {
    const [hash] = await this.putMany([object]);
    return hash!;
  }

  /** Writes unversioned objects in one atomic batch; one invalid object refuses the whole batch. */
  async putMany(objects: readonly LamaObject[]): Promise<SHA256Hash[]> {
    return (await this.commit({ objects })).hashes;
  }

  async get<T extends LamaObject = LamaObject>(hash: SHA256Hash): Promise<T> {
    const [object] = await this.getMany<T>([hash]);
    if (!object) throw new StoreError('NOT_FOUND', `no object ${hash}`);
    return object;
  }

  /** Reads and verifies; undefined where this store lacks the object (a sparse store may). */
  async getMany<T extends LamaObject = LamaObject>(hashes: readonly SHA256Hash[]): Promise<(T | undefined)[]> {
    const stored = await this.#adapter.getObjects(hashes);
    return stored.map((bytes, i) => (bytes === undefined ? undefined : (this.#verify(hashes[i]!, bytes) as T)));
  }

  has(hashes: readonly SHA256Hash[]): Promise<boolean[]> {
    return this.#adapter.hasObjects(hashes);
  }

  /** Sources that reference `target`, optionally of one $type$. */
  referencing(target: SHA256Hash, type?: string): Promise<SHA256Hash[]> {
    return this.#adapter.getReferencing(target, type);
  }

  /**
   * Writes a new version of a versioned object: its data, its ID object and a VersionNode whose
   * parents are all current heads — so writing on top of a fork merges it. Writing the data the
   * single head already holds adds no version.
   */
  async putVersioned(object: LamaObject): Promise<VersionedWrite> {
    return (await this.commit({ versioned: [object] })).versions[0]!;
  }

  /**
   * One atomic write of unversioned objects, new versions and local secrets: all of it becomes
   * visible at once or none of it does (creating a user is one such commit). Versions of the same
   * ID in one plan are applied in order.
   */
  async commit(plan: CommitPlan): Promise<CommitResult> {
    const objects = (plan.objects ?? []).map((object) => this.prepare(object));
    const versioned = (plan.versioned ?? []).map((object) => ({ data: this.prepare(object), id: this.prepare(this.idObjectOf(object)) }));
    const idHashes = [...new Set(versioned.map((v) => v.id.hash))];
    return this.#track(this.#versionLock.run(idHashes, async () => {
      const written: PreparedObject[] = [...objects];
      const heads = new Map<SHA256Hash, SHA256Hash[]>();
      const newNodes = new Map<SHA256Hash, VersionNode>();
      const versions: VersionedWrite[] = [];
      for (const { data, id } of versioned) {
        const currentHeads = heads.get(id.hash) ?? (await this.#adapter.getHeads(id.hash));
        const stored = await this.getMany<VersionNode>(currentHeads.filter((h) => !newNodes.has(h)));
        const parents = [...currentHeads.filter((h) => newNodes.has(h)).map((h) => newNodes.get(h)!), ...stored.filter((n) => n !== undefined)];
        if (parents.length === 1 && currentHeads.length === 1 && parents[0]!.data === data.hash) {
          versions.push({ hash: data.hash, idHash: id.hash, versionHash: currentHeads[0]! });
          continue;
        }
        const version: VersionNode = {
          $type$: 'VersionNode',
          id: id.hash,
          data: data.hash,
          parents: [...currentHeads].sort(),
          timestamp: Math.max(this.#now(), ...parents.map((p) => p.timestamp + 1)),
          depth: 1 + Math.max(0, ...parents.map((p) => p.depth)),
        };
        const node = this.prepare(version);
        newNodes.set(node.hash, version);
        heads.set(id.hash, [node.hash]);
        written.push(data, id, node);
        versions.push({ hash: data.hash, idHash: id.hash, versionHash: node.hash });
      }
      await this.#adapter.write({
        ...this.#batchOf(written),
        heads: [...heads].map(([idHash, h]) => ({ idHash, heads: h })),
        secrets: plan.secrets ?? [],
      });
      this.#announce(written, []);
      return { hashes: objects.map((o) => o.hash), versions };
    }));
  }

  /**
   * Adds a version made elsewhere (CHUM brings them). Its parents stop being heads; it becomes a
   * head unless a known version already names it as a parent. The result does not depend on the
   * order in which versions arrive.
   */
  async addVersionNode(node: VersionNode): Promise<SHA256Hash> {
    const prepared = this.prepare(node);
    await this.#addVersions([prepared]);
    return prepared.hash;
  }

  /**
   * Stores objects that arrived as bytes from a peer: each is hashed, decoded in canonical form
   * only, validated, and written; version nodes then update their heads. One bad object refuses
   * the whole call before anything is written.
   */
  async importMany(encoded: readonly Uint8Array[]): Promise<SHA256Hash[]> {
    return this.writeImported(this.prepareImport(encoded));
  }

  /**
   * The checking half of `importMany`: hashes, size limit, canonical decoding and recipe, for all
   * objects or none (the first bad one throws). CHUM inspects the result (signatures) before it
   * lets `writeImported` store it, so nothing is decoded twice.
   */
  prepareImport(encoded: readonly Uint8Array[]): PreparedObject[] {
    return encoded.map((bytes): PreparedObject => {
      const hash = this.#hasher.sha256Hex(bytes) as SHA256Hash;
      if (bytes.byteLength > MAX_OBJECT_BYTES) throw new StoreError('TOO_LARGE', `object ${hash} has ${bytes.byteLength} bytes, over the ${MAX_OBJECT_BYTES}-byte limit`);
      const object = decodeObject(bytes, hash, { canonical: true });
      return { hash, type: object.$type$, bytes, object, refs: this.recipes.validate(object) };
    });
  }

  /** The writing half of `importMany`, for objects `prepareImport` returned. */
  async writeImported(prepared: readonly PreparedObject[]): Promise<SHA256Hash[]> {
    const plain = prepared.filter((p) => p.type !== 'VersionNode');
    const nodes = prepared.filter((p) => p.type === 'VersionNode');
    if (nodes.length > 0) await this.#addVersions(nodes, plain);
    else {
      await this.#track(this.#adapter.write(this.#batchOf(plain)));
      this.#announce(plain, []);
    }
    return prepared.map((p) => p.hash);
  }

  /**
   * Calls `listener` after every acknowledged write made through this store (objects, versions,
   * imports, BLOBs) — CHUM offers new objects to peers from it. Listeners run synchronously and
   * must not throw (an error is rethrown on its own, never turned into a failed write). Returns the
   * unsubscription.
   */
  onWrite(listener: WriteListener): () => void {
    this.#writeListeners.add(listener);
    return () => this.#writeListeners.delete(listener);
  }

  getHeads(idHash: SHA256Hash): Promise<SHA256Hash[]> {
    return this.#adapter.getHeads(idHash);
  }

  /**
   * The current version. With several heads (concurrent edits not yet merged) the head with the
   * greatest (timestamp, version hash) wins — the same answer on every device (specs/objects.md §4.3).
   */
  async getLatest<T extends LamaObject = LamaObject>(idHash: SHA256Hash): Promise<LatestVersion<T> | undefined> {
    const heads = await this.#adapter.getHeads(idHash);
    if (heads.length === 0) return undefined;
    const nodes = await this.getMany<VersionNode>(heads);
    let best: { node: VersionNode; hash: SHA256Hash } | undefined;
    nodes.forEach((node, i) => {
      if (!node) throw new StoreError('NOT_FOUND', `head ${heads[i]} of ${idHash} is missing`);
      if (!best || compareVersions(node, heads[i]!, best.node, best.hash) > 0) best = { node, hash: heads[i]! };
    });
    const winner = best!;
    return { hash: winner.node.data, object: await this.get<T>(winner.node.data), versionHash: winner.hash, heads };
  }

  /** Every known version of an ID, newest first: by depth, then timestamp, then version hash (all descending). */
  async getHistory(idHash: SHA256Hash): Promise<{ versionHash: SHA256Hash; node: VersionNode }[]> {
    const versionHashes = await this.#adapter.getReferencing(idHash, 'VersionNode');
    const nodes = await this.getMany<VersionNode>(versionHashes);
    return nodes
      .map((node, i) => ({ versionHash: versionHashes[i]!, node: node! }))
      .filter((entry) => entry.node !== undefined)
      .sort((a, b) => b.node.depth - a.node.depth || compareVersions(b.node, b.versionHash, a.node, a.versionHash));
  }

  /** Streams a BLOB in, hashing as it goes; nothing is visible unless every chunk arrived. */
  async writeBlob(source: BlobSource): Promise<SHA256Hash> {
    const writer = await this.openBlobWriter();
    try {
      for await (const chunk of source) await writer.write(chunk);
    } catch (error) {
      await writer.abort();
      throw error;
    }
    return writer.finish();
  }

  /**
   * A BLOB written chunk by chunk as it arrives (CHUM receives them as messages). With `expected`,
   * `finish` files it only if its bytes hash to that, and otherwise drops it with HASH_MISMATCH:
   * a peer cannot store a BLOB that was not asked for.
   */
  async openBlobWriter(expected?: SHA256Hash): Promise<BlobWriter> {
    const sink = await this.#adapter.createBlobSink();
    const hasher = this.#hasher.createSha256();
    return {
      write: async (chunk) => {
        hasher.update(chunk);
        await sink.write(chunk);
      },
      finish: async () => {
        const hash = hasher.digestHex() as SHA256Hash;
        if (expected !== undefined && hash !== expected) {
          await sink.abort();
          throw new StoreError('HASH_MISMATCH', `BLOB ${expected} arrived as bytes that hash to ${hash}`);
        }
        await this.#track(sink.commit(hash));
        this.#announce([], [hash]);
        return hash;
      },
      abort: () => sink.abort(),
    };
  }

  /**
   * Streams a BLOB out. The hash is checked as the bytes pass: a damaged BLOB ends in a
   * HASH_MISMATCH error after its last chunk, so a consumer must not trust data until the stream ends.
   */
  async readBlob(hash: SHA256Hash): Promise<AsyncIterable<Uint8Array>> {
    const chunks = await this.#adapter.readBlob(hash);
    if (!chunks) throw new StoreError('NOT_FOUND', `no BLOB ${hash}`);
    const hasher = this.#hasher.createSha256();
    return (async function* () {
      for await (const chunk of chunks) {
        hasher.update(chunk);
        yield chunk;
      }
      const actual = hasher.digestHex();
      if (actual !== hash) throw new StoreError('HASH_MISMATCH', `BLOB ${hash} is damaged: its bytes hash to ${actual}`);
    })();
  }

  hasBlob(hash: SHA256Hash): Promise<boolean> {
    return this.#adapter.hasBlob(hash);
  }

  /** Lets every accepted write finish, then closes the adapter. */
  async close(): Promise<void> {
    await Promise.allSettled(this.#inFlight);
    await this.#adapter.close();
  }

  #announce(written: readonly PreparedObject[], blobs: readonly SHA256Hash[]): void {
    if (written.length === 0 && blobs.length === 0) return;
    const write: StoreWrite = { objects: written.map((p) => p.hash), blobs, decoded: written.map((p) => p.object) };
    for (const listener of [...this.#writeListeners]) {
      try {
        listener(write);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  /**
   * Adds version nodes made elsewhere, with `plain` objects that arrived with them, in one read of
   * heads and children and one write — CHUM brings version nodes by the thousand, and a transaction
   * each is what a browser store cannot afford. A node's parents stop being heads; it becomes a
   * head unless a known or arriving version names it as a parent. So the heads left are those the
   * nodes one by one, in any order, would leave: (heads ∪ new nodes without a child) minus every
   * parent the new nodes name.
   */
  async #addVersions(prepared: readonly PreparedObject[], plain: readonly PreparedObject[] = []): Promise<void> {
    const ids = [...new Set(prepared.map((p) => (p.object as VersionNode).id))];
    await this.#track(this.#versionLock.run(ids, async () => {
      const known = await this.#adapter.hasObjects(prepared.map((p) => p.hash));
      const fresh = [...new Map(prepared.filter((_, i) => !known[i]).map((p) => [p.hash, p])).values()];
      if (fresh.length === 0) {
        if (plain.length > 0) await this.#adapter.write(this.#batchOf(plain));
        this.#announce(plain, []);
        return;
      }
      const withChildren = new Set((await this.#adapter.getReferencingMany(fresh.map((p) => p.hash), 'VersionNode')).map((r) => r.target));
      const byId = new Map<SHA256Hash, VersionNode[]>();
      for (const p of fresh) {
        const node = p.object as VersionNode;
        for (const parent of node.parents) withChildren.add(parent);
        byId.set(node.id, [...(byId.get(node.id) ?? []), node]);
      }
      const heads: { idHash: SHA256Hash; heads: SHA256Hash[] }[] = [];
      for (const [idHash] of byId) {
        const next = new Set((await this.#adapter.getHeads(idHash)).filter((head) => !withChildren.has(head)));
        for (const p of fresh) if ((p.object as VersionNode).id === idHash && !withChildren.has(p.hash)) next.add(p.hash);
        heads.push({ idHash, heads: [...next] });
      }
      // The plain objects first: arrival order keeps a version node after the data it names.
      await this.#adapter.write({ ...this.#batchOf([...plain, ...fresh]), heads });
      this.#announce([...plain, ...fresh], []);
    }));
  }


  #verify(hash: SHA256Hash, bytes: Uint8Array): LamaObject {
    const actual = this.#hasher.sha256Hex(bytes);
    if (actual !== hash) throw new StoreError('HASH_MISMATCH', `object ${hash} is damaged: its bytes hash to ${actual}`);
    const object = decodeObject(bytes, hash);
    try {
      this.recipes.validate(object);
    } catch (error) {
      throw new StoreError('CORRUPT', `object ${hash} does not fit its recipe: ${(error as Error).message}`);
    }
    return object;
  }

  #batchOf(prepared: readonly PreparedObject[]): WriteBatch {
    const references: ReferenceEntry[] = [];
    for (const p of prepared) {
      for (const ref of p.refs) references.push({ target: ref.hash, source: p.hash, type: p.type });
    }
    return { objects: prepared.map(({ hash, type, bytes }) => ({ hash, type, bytes })), references };
  }
}

function compareVersions(a: VersionNode, aHash: SHA256Hash, b: VersionNode, bHash: SHA256Hash): number {
  return a.timestamp - b.timestamp || (aHash < bHash ? -1 : aHash > bHash ? 1 : 0);
}
