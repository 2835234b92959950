import type { InspectionEvent } from 'xstate';
import { RingBuffer } from './ring-buffer.ts';
import { summarize } from './summarize.ts';

/**
 * Collects XState inspection events (createActor's `inspect` option) for every actor in a tree
 * into a bounded ring buffer of plain records, and hands them to listeners in batches — the feed
 * behind `status:inspection`, the UI's inspector and `npm start -- --inspect`.
 */
export interface InspectionRecord {
  /** The actor's session id: unique per running actor. */
  readonly actorId: string;
  readonly systemId?: string;
  /** The machine id or the actor's id in its parent, for people to read. */
  readonly name: string;
  readonly type: 'snapshot' | 'event';
  /** State value (machines) or status (other actors), after the transition. */
  readonly state?: unknown;
  readonly status?: string;
  /** The event that caused the snapshot, or the event sent. */
  readonly event?: { readonly type: string };
  readonly source?: string;
  readonly contextSummary?: unknown;
  readonly at: number;
}

export interface InspectionCollectorOptions {
  readonly capacity?: number;
  /** How long events gather before listeners get them; 0 delivers each at once. */
  readonly batchMs?: number;
  readonly now?: () => number;
}

export class InspectionCollector {
  readonly #buffer: RingBuffer<InspectionRecord>;
  readonly #listeners = new Set<(batch: readonly InspectionRecord[]) => void>();
  readonly #batchMs: number;
  readonly #now: () => number;
  #pending: InspectionRecord[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: InspectionCollectorOptions = {}) {
    this.#buffer = new RingBuffer(options.capacity ?? 2_000);
    this.#batchMs = options.batchMs ?? 100;
    this.#now = options.now ?? Date.now;
  }

  /** Pass as `createActor(logic, { inspect: collector.inspect })`. */
  readonly inspect = (event: InspectionEvent): void => {
    const record = this.#toRecord(event);
    if (!record) return;
    this.#buffer.push(record);
    this.#pending.push(record);
    if (this.#batchMs === 0) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), this.#batchMs);
  };

  /** Everything still in the buffer, oldest first: what a newly opened inspector starts from. */
  recent(): InspectionRecord[] {
    return this.#buffer.toArray();
  }

  get dropped(): number {
    return this.#buffer.dropped;
  }

  subscribe(listener: (batch: readonly InspectionRecord[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Delivers what is pending now (shutdown, tests). */
  flush(): void {
    this.#flush();
  }

  #flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    for (const listener of this.#listeners) listener(batch);
  }

  #toRecord(event: InspectionEvent): InspectionRecord | undefined {
    const ref = event.actorRef as unknown as { sessionId: string; id: string; systemId?: string; logic?: { id?: string } };
    // The id a parent gave (`crypto-0`, `workerPool`) says more than the logic's id; a root's generated id (`x:0`) says less.
    const name = /^x:\d+$/.test(ref.id) ? (ref.logic?.id ?? ref.id) : ref.id;
    const base = { actorId: ref.sessionId, name, at: this.#now(), ...(ref.systemId ? { systemId: ref.systemId } : {}) };
    if (event.type === '@xstate.snapshot') {
      const snapshot = event.snapshot as { value?: unknown; status?: string; context?: unknown };
      return {
        ...base,
        type: 'snapshot',
        state: snapshot.value,
        status: snapshot.status,
        event: { type: event.event.type },
        contextSummary: summarize(snapshot.context),
      };
    }
    if (event.type === '@xstate.actor') {
      // Promise and callback actors may never produce a snapshot while alive: record their birth so the inspector lists them.
      return { ...base, type: 'snapshot', status: 'active', event: { type: 'xstate.start' } };
    }
    if (event.type === '@xstate.event') {
      const source = event.sourceRef as { sessionId?: string } | undefined;
      return { ...base, type: 'event', event: { type: event.event.type }, ...(source?.sessionId ? { source: source.sessionId } : {}) };
    }
    return undefined;
  }
}
