import type { SHA256Hash } from './hash.ts';

/**
 * The one interface every storage backend implements (SQLite archive, IndexedDB sparse store,
 * memory). Adapters move bytes under keys; they never hash, encode or validate — ObjectStore does
 * that once, above them, so every backend behaves alike. The contract is checked by
 * `runStorageAdapterTests` in storage-adapter-tests.ts.
 */
export interface StoredObject {
  readonly hash: SHA256Hash;
  readonly type: string;
  readonly bytes: Uint8Array;
}

/** `source` references `target` (an object hash, ID hash or BLOB hash); `type` is the source's $type$. */
export interface ReferenceEntry {
  readonly target: SHA256Hash;
  readonly source: SHA256Hash;
  readonly type: string;
}

/** Replaces the set of version heads of one ID hash. */
export interface HeadsEntry {
  readonly idHash: SHA256Hash;
  readonly heads: readonly SHA256Hash[];
}

/** Local secrets (encrypted key material, settings): never content-addressed, never synced. */
export interface SecretEntry {
  readonly name: string;
  /** null deletes the secret. */
  readonly value: Uint8Array | null;
}

/**
 * Everything one write changes. `write` applies a batch atomically: after it resolves all of it is
 * durable; if it rejects (or the process dies first) none of it is visible. Writing an object whose
 * hash is already stored keeps the stored bytes (content addressing: same hash, same content).
 */
export interface WriteBatch {
  readonly objects?: readonly StoredObject[];
  readonly references?: readonly ReferenceEntry[];
  readonly heads?: readonly HeadsEntry[];
  readonly secrets?: readonly SecretEntry[];
}

/**
 * A BLOB being written: chunks go to a temporary place until `commit` files it under its hash.
 * A sink finishes once: `write` or `commit` after `commit`/`abort` rejects with StoreError CLOSED;
 * `abort` after either is a no-op, so failure paths can always call it.
 */
export interface BlobSink {
  write(chunk: Uint8Array): Promise<void>;
  /** Files the written bytes under `hash` atomically; an existing BLOB with that hash is kept. */
  commit(hash: SHA256Hash): Promise<void>;
  /** Drops the written bytes; nothing becomes visible. */
  abort(): Promise<void>;
}

/**
 * One object in arrival order: `seq` is given when the object is first stored (re-storing it keeps
 * the first one), grows with every new object and is never reused, so "what is new since seq N"
 * has one answer (CHUM resumes from it, specs/chum.md §5).
 */
export interface Arrival {
  readonly seq: number;
  readonly hash: SHA256Hash;
  readonly type: string;
}

export interface TypeCount {
  readonly type: string;
  readonly objects: number;
  readonly bytes: number;
}

/** After `close` (idempotent), every method rejects with StoreError CLOSED. */
export interface StorageAdapter {
  write(batch: WriteBatch): Promise<void>;
  /** Stored bytes for each hash, in order; undefined where the object is absent (a sparse store may lack it). */
  getObjects(hashes: readonly SHA256Hash[]): Promise<(Uint8Array | undefined)[]>;
  hasObjects(hashes: readonly SHA256Hash[]): Promise<boolean[]>;
  getHeads(idHash: SHA256Hash): Promise<SHA256Hash[]>;
  /** Sources that reference `target`, optionally only those of one $type$, sorted by hash. */
  getReferencing(target: SHA256Hash, type?: string): Promise<SHA256Hash[]>;
  /** `getReferencing` for many targets at once, for sources of one $type$: entries sorted by target, then source. */
  getReferencingMany(targets: readonly SHA256Hash[], type: string): Promise<ReferenceEntry[]>;
  getSecret(name: string): Promise<Uint8Array | undefined>;
  /** The arrival sequence number of each object, in order; undefined where absent. */
  getSeqs(hashes: readonly SHA256Hash[]): Promise<(number | undefined)[]>;
  /** Objects that arrived after `seq`, in arrival order, at most `limit` of them. */
  arrivalsAfter(seq: number, limit: number): Promise<Arrival[]>;
  /** The greatest sequence number given so far; 0 for an empty store. */
  lastSeq(): Promise<number>;
  createBlobSink(): Promise<BlobSink>;
  /** The BLOB's bytes as chunks in order, or undefined when absent. */
  readBlob(hash: SHA256Hash): Promise<AsyncIterable<Uint8Array> | undefined>;
  hasBlob(hash: SHA256Hash): Promise<boolean>;
  /** The BLOB's length in bytes, or undefined when absent (CHUM announces sizes before sending). */
  blobSize(hash: SHA256Hash): Promise<number | undefined>;
  /** Objects and their encoded bytes per $type$, sorted by type (the data dashboard). Optional: only adapters that can count in one cheap query offer it. */
  countByType?(): Promise<TypeCount[]>;
  close(): Promise<void>;
}
