import type { InspectionEvent } from 'xstate';
import { DEFINITIONS_KEPT, definitionId, describeMachine, type MachineDefinition } from './machine-definition.ts';
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
  /** For people to read: the actor's id in its parent, a root's machine id, an unnamed invoke's logic name. */
  readonly name: string;
  /** The parent actor's session id (none for a root). */
  readonly parent?: string;
  /** The actor's machine definition (`definitionId`), for machines only: `definition(id)` has it. */
  readonly machine?: string;
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

/** What a newly opened inspector starts from. */
export interface InspectionOverview {
  /** The latest record of every live actor (its last snapshot, or its birth), in order of birth. */
  readonly actors: readonly InspectionRecord[];
  /** The buffer, oldest first, without context summaries: the event log's history. */
  readonly recent: readonly InspectionRecord[];
  /** The definitions the actors and the history name, by definition id. */
  readonly definitions: Readonly<Record<string, MachineDefinition>>;
}

/** Actors followed at once: far more than a LAMA tree holds; a leak stays bounded. */
const MAX_LIVE_ACTORS = 2_000;
const ENDED = new Set(['done', 'error', 'stopped']);

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
  /** Per logic object, described once (null: not a machine, or too large). */
  readonly #described = new WeakMap<object, { id: string; definition: MachineDefinition } | null>();
  readonly #definitions = new Map<string, MachineDefinition>();
  readonly #live = new Map<string, InspectionRecord>();
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
    this.#follow(record);
    this.#buffer.push(record);
    this.#pending.push(record);
    if (this.#batchMs === 0) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), this.#batchMs);
  };

  /** Everything still in the buffer, oldest first. */
  recent(): InspectionRecord[] {
    return this.#buffer.toArray();
  }

  /** The live actors, the history and their definitions (the `orchestrate:inspection` reply). */
  overview(): InspectionOverview {
    const actors = [...this.#live.values()];
    const recent = this.#buffer.toArray().map(({ contextSummary: _dropped, ...record }) => record);
    const definitions: Record<string, MachineDefinition> = {};
    for (const record of [...actors, ...recent]) {
      const definition = record.machine ? this.#definitions.get(record.machine) : undefined;
      if (definition) definitions[record.machine!] = definition;
    }
    return { actors, recent, definitions };
  }

  /** A definition a record named in `machine`, while it is kept (the newest DEFINITIONS_KEPT). */
  definition(id: string): MachineDefinition | undefined {
    return this.#definitions.get(id);
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

  /** Keeps each live actor's latest record; an ended actor leaves. */
  #follow(record: InspectionRecord): void {
    if (record.type !== 'snapshot') return;
    if (record.status && ENDED.has(record.status)) {
      this.#live.delete(record.actorId);
      return;
    }
    // Set on a known key keeps its place: the map stays in order of birth.
    this.#live.set(record.actorId, record);
    if (this.#live.size > MAX_LIVE_ACTORS) this.#live.delete(this.#live.keys().next().value!);
  }

  #machineOf(logic: unknown): string | undefined {
    if (typeof logic !== 'object' || logic === null) return undefined;
    let described = this.#described.get(logic);
    if (described === undefined) {
      const definition = describeMachine(logic);
      described = definition ? { id: definitionId(definition), definition } : null;
      this.#described.set(logic, described);
    }
    if (!described) return undefined;
    if (!this.#definitions.has(described.id)) {
      this.#definitions.set(described.id, described.definition);
      if (this.#definitions.size > DEFINITIONS_KEPT) this.#definitions.delete(this.#definitions.keys().next().value!);
    }
    return described.id;
  }

  #toRecord(event: InspectionEvent): InspectionRecord | undefined {
    if (event.type !== '@xstate.snapshot' && event.type !== '@xstate.actor' && event.type !== '@xstate.event') return undefined;
    const ref = event.actorRef as unknown as { sessionId: string; id: string; systemId?: string; src?: unknown; logic?: { id?: string }; _parent?: { sessionId?: string } };
    // The id a parent gave (`crypto-0`, `workerPool`) says more than the logic's id; a root's generated id (`x:0`) says less,
    // and so does an unnamed invoke's (`0.hostLink.connected`): its logic's name in setup (`listen`) says what it is.
    const name = /^x:\d+$/.test(ref.id) ? (ref.logic?.id ?? ref.id) : /^\d+\./.test(ref.id) && typeof ref.src === 'string' ? ref.src : ref.id;
    const machine = this.#machineOf(ref.logic);
    const parent = ref._parent?.sessionId;
    const base = {
      actorId: ref.sessionId,
      name,
      at: this.#now(),
      ...(ref.systemId ? { systemId: ref.systemId } : {}),
      ...(parent ? { parent } : {}),
      ...(machine ? { machine } : {}),
    };
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
    const source = event.sourceRef as { sessionId?: string } | undefined;
    return { ...base, type: 'event', event: { type: event.event.type }, ...(source?.sessionId ? { source: source.sessionId } : {}) };
  }
}
