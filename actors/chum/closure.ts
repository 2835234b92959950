import { decodeObject } from '../store/encoding.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { Hasher } from '../store/hasher.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { LamaObject } from '../store/recipes.ts';
import { StoreError } from '../store/store-error.ts';
import type { Root } from './grants.ts';
import { WantQueue } from './want-queue.ts';

/**
 * The closure rule (specs/chum.md §4.2): from the roots a peer was granted, everything it needs to
 * use them — what they reference (refs followed to the end, an idref to its ID object only, BLOBs),
 * the Signatures over any of it, the versions of identities (Person, Instance, Keys) it names and
 * the Keys of Persons and Instances. Versions of other things travel only with their own IdAccess
 * grant, so a reference never leaks a history the peer was not granted.
 *
 * `objects` holds every visible hash, including ones this (sparse) store lacks: those are in
 * `absent` and are walked when they arrive. Edges are kept for the resume rule (§5.2).
 */
export const IDENTITY_TYPES: ReadonlySet<string> = new Set(['Person', 'Instance', 'Keys']);
const KEY_OWNER_TYPES: ReadonlySet<string> = new Set(['Person', 'Instance']);
const BATCH = 256;

export interface Edges {
  /** References held by the object (not BLOBs). */
  readonly forward: readonly SHA256Hash[];
  /** Objects that come with it without being referenced: Signatures, identity versions, Keys. */
  readonly attached: readonly SHA256Hash[];
}

export interface ObjectInfo {
  readonly type: string;
  readonly size: number;
}

interface Signed extends LamaObject {
  readonly data: SHA256Hash;
}

export class Closure {
  readonly objects = new Set<SHA256Hash>();
  readonly blobs = new Set<SHA256Hash>();
  readonly absent = new Set<SHA256Hash>();
  /** $type$ and encoded size of every object walked (present). */
  readonly info = new Map<SHA256Hash, ObjectInfo>();
  readonly edges = new Map<SHA256Hash, Edges>();
  /** Where each root starts: the object, or an ID object and the versions of the ID. */
  readonly starts = new Map<Root, SHA256Hash[]>();
  readonly #rootIds = new Set<SHA256Hash>();
  /** Identity ID objects walked, with their $type$: their versions (and Keys) are visible. */
  readonly #identities = new Map<SHA256Hash, string>();
  readonly #store: ObjectStore;
  readonly #hasher: Hasher;
  /** Reached and not walked yet, in the order reached (breadth first): a queue of ids. */
  readonly #queue = new WantQueue<SHA256Hash>();

  constructor(store: ObjectStore, hasher: Hasher) {
    this.#store = store;
    this.#hasher = hasher;
  }

  /** The whole closure of `roots`, walked. */
  static async of(store: ObjectStore, hasher: Hasher, roots: readonly Root[]): Promise<Closure> {
    const closure = await Closure.begin(store, hasher, roots);
    while (closure.walking) await closure.step();
    return closure;
  }

  /**
   * The closure of `roots` with only their starts known: `step` walks it a batch at a time, so a
   * sender can offer what is walked while it walks the rest (specs/chum.md §5.3).
   */
  static async begin(store: ObjectStore, hasher: Hasher, roots: readonly Root[]): Promise<Closure> {
    const closure = new Closure(store, hasher);
    const all: SHA256Hash[] = [];
    for (const root of roots) {
      const starts = root.kind === 'object' ? [root.hash] : [root.hash, ...(await store.referencing(root.hash, 'VersionNode'))];
      if (root.kind === 'id') closure.#rootIds.add(root.hash);
      closure.starts.set(root, starts);
      all.push(...starts);
    }
    closure.#enqueue(all);
    return closure;
  }

  /** Present objects that are visible (walked). */
  get present(): SHA256Hash[] {
    return [...this.info.keys()];
  }

  /** Objects are reached and not walked yet. */
  get walking(): boolean {
    return this.#queue.length > 0;
  }

  /**
   * Makes `starts` visible and walks everything they reach that was not walked yet (including
   * visible objects that were absent and have arrived). Returns the objects walked now.
   */
  async expand(starts: readonly SHA256Hash[]): Promise<SHA256Hash[]> {
    this.#enqueue(starts);
    const walked: SHA256Hash[] = [];
    while (this.walking) walked.push(...(await this.step()));
    return walked;
  }

  /** Walks the next batch of reached objects; returns those present (now in `info`). */
  async step(): Promise<SHA256Hash[]> {
    const batch: SHA256Hash[] = [];
    while (batch.length < BATCH && this.#queue.length > 0) batch.push(this.#queue.shift()!);
    const stored = await this.#store.adapter.getObjects(batch);
    const walked: SHA256Hash[] = [];
    const read: { hash: SHA256Hash; object: LamaObject; forward: SHA256Hash[] }[] = [];
    for (let i = 0; i < batch.length; i++) {
      const hash = batch[i]!;
      const bytes = stored[i];
      if (!bytes) {
        this.absent.add(hash);
        continue;
      }
      const { object, refs } = this.#read(hash, bytes);
      this.info.set(hash, { type: object.$type$, size: bytes.byteLength });
      walked.push(hash);
      const forward: SHA256Hash[] = [];
      for (const ref of refs) {
        if (ref.kind === 'blob') this.blobs.add(ref.hash);
        else forward.push(ref.hash);
      }
      read.push({ hash, object, forward });
    }
    const signatures = await this.#signaturesOver(read.map((r) => r.hash));
    for (const { hash, object, forward } of read) {
      const attached = [...(signatures.get(hash) ?? []), ...(await this.#identityAttachments(hash, object))];
      this.edges.set(hash, { forward, attached });
      for (const next of forward) this.#reach(next);
      for (const next of attached) this.#reach(next);
    }
    return walked;
  }

  /**
   * Live: an object that just arrived in the store. It is visible when the closure already names it
   * (then it is walked now if it was absent), or when it attaches to something visible: a version
   * of a granted ID or of an identity, a Signature over a visible object, the Keys of a visible
   * Person or Instance. Returns the objects walked now.
   */
  async admit(hash: SHA256Hash, type: string): Promise<SHA256Hash[]> {
    if (!this.mayAdmit(hash, type)) return [];
    if (this.objects.has(hash)) return this.expand([hash]);
    const [bytes] = await this.#store.adapter.getObjects([hash]);
    if (!bytes) return [];
    const object = this.#read(hash, bytes).object as LamaObject & { id?: SHA256Hash; data?: SHA256Hash; owner?: SHA256Hash };
    const attaches =
      (type === 'VersionNode' && (this.#rootIds.has(object.id!) || this.#identities.has(object.id!))) ||
      (type === 'Signature' && this.objects.has(object.data!)) ||
      (type === 'Keys' && KEY_OWNER_TYPES.has(this.#identities.get(object.owner!) ?? ''));
    return attaches ? this.expand([hash]) : [];
  }

  /**
   * Whether `admit` may walk anything for this arrival: false for most of what a receiver stores
   * (it is neither named by the closure nor of a type that attaches), decided without a read.
   */
  mayAdmit(hash: SHA256Hash, type: string): boolean {
    if (this.objects.has(hash)) return this.absent.has(hash);
    return type === 'VersionNode' || type === 'Signature' || type === 'Keys';
  }

  #enqueue(starts: readonly SHA256Hash[]): void {
    for (const start of starts) {
      if (this.absent.delete(start)) this.#queue.push(start);
      else this.#reach(start);
    }
  }

  #reach(hash: SHA256Hash): void {
    if (this.objects.has(hash)) return;
    this.objects.add(hash);
    this.#queue.push(hash);
  }

  #read(hash: SHA256Hash, bytes: Uint8Array) {
    const actual = this.#hasher.sha256Hex(bytes);
    if (actual !== hash) throw new StoreError('HASH_MISMATCH', `object ${hash} is damaged: its bytes hash to ${actual}`);
    const object = decodeObject(bytes, hash);
    return { object, refs: this.#store.recipes.validate(object) };
  }

  /** The Signatures over each of `hashes` (one lookup for the batch; a Signature also references its keys, so only `data` counts). */
  async #signaturesOver(hashes: readonly SHA256Hash[]): Promise<Map<SHA256Hash, SHA256Hash[]>> {
    const over = new Map<SHA256Hash, SHA256Hash[]>();
    const entries = await this.#store.adapter.getReferencingMany(hashes, 'Signature');
    if (entries.length === 0) return over;
    const stored = await this.#store.adapter.getObjects(entries.map((e) => e.source));
    entries.forEach(({ target, source }, i) => {
      const bytes = stored[i];
      if (!bytes || (this.#read(source, bytes).object as Signed).data !== target) return;
      over.set(target, [...(over.get(target) ?? []), source]);
    });
    return over;
  }

  /** An identity's ID object brings its versions, and a Person's or Instance's its Keys. */
  async #identityAttachments(hash: SHA256Hash, object: LamaObject): Promise<SHA256Hash[]> {
    if (!object.$id$ || !IDENTITY_TYPES.has(object.$type$)) return [];
    this.#identities.set(hash, object.$type$);
    const attached = await this.#store.referencing(hash, 'VersionNode');
    if (KEY_OWNER_TYPES.has(object.$type$)) attached.push(...(await this.#store.referencing(hash, 'Keys')));
    return attached;
  }
}
