import { checkWriteBatch } from './batch-check.ts';
import type { SHA256Hash } from './hash.ts';
import { StoreError } from './store-error.ts';
import type { Arrival, BlobSink, ReferenceEntry, StorageAdapter, WriteBatch } from './storage-adapter.ts';

/** The in-memory backend: the reference implementation of the contract, and the fake for machine tests. */
export class MemoryStorage implements StorageAdapter {
  readonly #objects = new Map<SHA256Hash, Uint8Array>();
  readonly #seqs = new Map<SHA256Hash, number>();
  /** Arrival order: index i holds seq i + 1. */
  readonly #arrivals: Arrival[] = [];
  /** target → source → type */
  readonly #references = new Map<SHA256Hash, Map<SHA256Hash, string>>();
  readonly #heads = new Map<SHA256Hash, SHA256Hash[]>();
  readonly #secrets = new Map<string, Uint8Array>();
  readonly #blobs = new Map<SHA256Hash, Uint8Array[]>();
  #closed = false;

  async write(batch: WriteBatch): Promise<void> {
    this.#checkOpen();
    checkWriteBatch(batch);
    // Copy everything first: a copy that throws (a detached buffer) must leave the maps untouched.
    const objects = (batch.objects ?? []).map(({ hash, bytes }) => [hash, bytes.slice()] as const);
    const secrets = (batch.secrets ?? []).map(({ name, value }) => [name, value?.slice() ?? null] as const);
    (batch.objects ?? []).forEach(({ hash, type }, i) => {
      if (this.#objects.has(hash)) return;
      this.#objects.set(hash, objects[i]![1]);
      const seq = this.#arrivals.length + 1;
      this.#seqs.set(hash, seq);
      this.#arrivals.push({ seq, hash, type });
    });
    for (const { target, source, type } of batch.references ?? []) {
      let sources = this.#references.get(target);
      if (!sources) this.#references.set(target, (sources = new Map()));
      sources.set(source, type);
    }
    for (const { idHash, heads } of batch.heads ?? []) this.#heads.set(idHash, [...heads].sort());
    for (const [name, value] of secrets) {
      if (value === null) this.#secrets.delete(name);
      else this.#secrets.set(name, value);
    }
  }

  async getObjects(hashes: readonly SHA256Hash[]): Promise<(Uint8Array | undefined)[]> {
    this.#checkOpen();
    return hashes.map((hash) => this.#objects.get(hash)?.slice());
  }

  async hasObjects(hashes: readonly SHA256Hash[]): Promise<boolean[]> {
    this.#checkOpen();
    return hashes.map((hash) => this.#objects.has(hash));
  }

  async getHeads(idHash: SHA256Hash): Promise<SHA256Hash[]> {
    this.#checkOpen();
    return [...(this.#heads.get(idHash) ?? [])];
  }

  async getReferencing(target: SHA256Hash, type?: string): Promise<SHA256Hash[]> {
    this.#checkOpen();
    const sources = this.#references.get(target) ?? new Map<SHA256Hash, string>();
    return [...sources].filter(([, t]) => type === undefined || t === type).map(([source]) => source).sort();
  }

  async getReferencingMany(targets: readonly SHA256Hash[], type: string): Promise<ReferenceEntry[]> {
    this.#checkOpen();
    return [...new Set(targets)].sort().flatMap((target) =>
      [...(this.#references.get(target) ?? new Map<SHA256Hash, string>())].filter(([, t]) => t === type).map(([source]) => ({ target, source, type })).sort((a, b) => (a.source < b.source ? -1 : 1)),
    );
  }

  async getSecret(name: string): Promise<Uint8Array | undefined> {
    this.#checkOpen();
    return this.#secrets.get(name)?.slice();
  }

  async getSeqs(hashes: readonly SHA256Hash[]): Promise<(number | undefined)[]> {
    this.#checkOpen();
    return hashes.map((hash) => this.#seqs.get(hash));
  }

  async arrivalsAfter(seq: number, limit: number): Promise<Arrival[]> {
    this.#checkOpen();
    return this.#arrivals.slice(Math.max(0, seq), Math.max(0, seq) + limit);
  }

  async lastSeq(): Promise<number> {
    this.#checkOpen();
    return this.#arrivals.length;
  }

  async createBlobSink(): Promise<BlobSink> {
    this.#checkOpen();
    const chunks: Uint8Array[] = [];
    let open = true;
    const finish = () => {
      if (!open) throw new StoreError('CLOSED', 'BLOB sink already finished');
      open = false;
    };
    return {
      write: async (chunk) => {
        if (!open) throw new StoreError('CLOSED', 'BLOB sink already finished');
        chunks.push(chunk.slice());
      },
      commit: async (hash) => {
        finish();
        if (!this.#blobs.has(hash)) this.#blobs.set(hash, chunks);
      },
      abort: async () => {
        open = false;
      },
    };
  }

  async readBlob(hash: SHA256Hash): Promise<AsyncIterable<Uint8Array> | undefined> {
    this.#checkOpen();
    const chunks = this.#blobs.get(hash);
    if (!chunks) return undefined;
    return (async function* () {
      for (const chunk of chunks) yield chunk.slice();
    })();
  }

  async hasBlob(hash: SHA256Hash): Promise<boolean> {
    this.#checkOpen();
    return this.#blobs.has(hash);
  }

  async blobSize(hash: SHA256Hash): Promise<number | undefined> {
    this.#checkOpen();
    return this.#blobs.get(hash)?.reduce((size, chunk) => size + chunk.byteLength, 0);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #checkOpen(): void {
    if (this.#closed) throw new StoreError('CLOSED', 'the memory store is closed');
  }
}
