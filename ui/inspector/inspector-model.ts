import type { MachineDefinition } from '../../actors/inspection/machine-definition.ts';
import { RingBuffer } from '../../actors/inspection/ring-buffer.ts';
import { formatState } from '../../actors/inspection/transition-log.ts';
import type { InspectionRecord } from '../../actors/inspection/inspection-collector.ts';

/**
 * What the inspector knows, from both feeds — the Node host's (`status:inspection` and
 * `orchestrate:inspection`) and the browser's own InspectionCollector: every actor's latest
 * snapshot, each machine's definition, and a bounded event log. Plain data in, plain data out;
 * the component renders it.
 */
export type Source = 'node' | 'browser';

/** One inspection record, as the collector makes it and the channel carries it. */
export type FeedRecord = InspectionRecord;

export interface InspectedActor {
  /** `<source>:<actorId>`: unique across both feeds. */
  readonly key: string;
  readonly source: Source;
  readonly actorId: string;
  readonly name: string;
  readonly systemId?: string;
  /** The parent's key. */
  readonly parent?: string;
  readonly machine?: string;
  readonly state?: unknown;
  readonly status: string;
  readonly context?: unknown;
  /** The event of the latest snapshot, and whether it changed the state. */
  readonly lastEvent?: string;
  readonly changed: boolean;
  /** The state before the latest change, for drawing the transition taken. */
  readonly previousState?: unknown;
  /** Counts state changes: the chart animates when it moves. */
  readonly transitions: number;
  readonly at: number;
}

export interface LogEntry {
  readonly id: number;
  readonly source: Source;
  readonly actor: string;
  readonly actorName: string;
  readonly at: number;
  readonly event: string;
  /** The state before and after (for non-machines: the status); `from` is missing for a birth. */
  readonly from?: string;
  readonly to: string;
  readonly changed: boolean;
  /** Who sent the event, by name, when the feed said. */
  readonly sender?: string;
}

export const LOG_CAPACITY = 2_000;
const ENDED = new Set(['done', 'error', 'stopped']);
/** Ended actors stay listed this long, then leave the tree (the selected one stays). */
const MAX_ENDED = 200;

export const actorKey = (source: Source, actorId: string): string => `${source}:${actorId}`;

/** The name people know an actor by: its systemId when it has one, else its id in its parent. */
export const displayName = (actor: { readonly systemId?: string; readonly name: string }): string => actor.systemId ?? actor.name;

export class InspectorModel {
  readonly #actors = new Map<string, InspectedActor>();
  readonly #definitions = new Map<string, MachineDefinition>();
  readonly #log = new RingBuffer<LogEntry>(LOG_CAPACITY);
  /** The last event each actor received, with its sender: the next snapshot names it. */
  readonly #received = new Map<string, { type: string; sender: string }>();
  readonly #listeners = new Set<() => void>();
  #ended: string[] = [];
  #nextId = 1;
  /** Bumped on every change; views compare it. */
  version = 0;
  /** Says which ended actors must stay listed however many end after them (the selected one). */
  keep: (key: string) => boolean = () => false;

  get actors(): readonly InspectedActor[] {
    return [...this.#actors.values()];
  }

  actor(key: string): InspectedActor | undefined {
    return this.#actors.get(key);
  }

  definition(source: Source, machine: string | undefined): MachineDefinition | undefined {
    return machine ? this.#definitions.get(`${source}:${machine}`) : undefined;
  }

  hasDefinition(source: Source, machine: string): boolean {
    return this.#definitions.has(`${source}:${machine}`);
  }

  /** Oldest first, at most LOG_CAPACITY. */
  get log(): readonly LogEntry[] {
    return this.#log.toArray();
  }

  /** Entries ever logged (cleared ones included): a paused view counts what it has not shown. */
  get logged(): number {
    return this.#nextId - 1;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  addDefinitions(source: Source, definitions: Readonly<Record<string, MachineDefinition>>): void {
    let added = false;
    for (const [id, definition] of Object.entries(definitions)) {
      if (this.#definitions.has(`${source}:${id}`)) continue;
      this.#definitions.set(`${source}:${id}`, definition);
      added = true;
    }
    if (added) this.#changed();
  }

  /** Live records from a feed, oldest first. */
  ingest(source: Source, records: readonly FeedRecord[]): void {
    for (const record of records) this.#apply(source, record, true);
    this.#trimEnded();
    this.#changed();
  }

  /**
   * What a feed had before the inspector listened: the history goes into the log before what
   * arrived since, and each actor's latest record replaces what is known only if it is newer.
   */
  seed(source: Source, overview: { readonly actors: readonly FeedRecord[]; readonly recent: readonly FeedRecord[] }): void {
    const logged = this.#log.toArray();
    const seen = new Set(logged.map((entry) => `${entry.actor}|${entry.at}|${entry.event}|${entry.to}`));
    const history: LogEntry[] = [];
    const previous = new Map<string, string>();
    for (const record of overview.recent) {
      if (record.type !== 'snapshot') continue;
      const key = actorKey(source, record.actorId);
      const to = stateText(record);
      const from = previous.get(key);
      previous.set(key, to);
      if (seen.has(`${key}|${record.at}|${record.event?.type ?? ''}|${to}`)) continue;
      history.push(this.#entry(source, key, displayName(record), record.at, record.event?.type ?? 'xstate.start', from, to));
    }
    if (history.length) {
      const merged = [...history, ...logged].sort((a, b) => a.at - b.at || a.id - b.id).slice(-LOG_CAPACITY);
      this.#log.clear();
      merged.forEach((entry) => this.#log.push(entry));
    }
    for (const record of overview.actors) {
      const known = this.#actors.get(actorKey(source, record.actorId));
      if (!known || known.at < record.at) this.#apply(source, record, false);
    }
    // The overview lists every live actor: one it leaves out, not heard of since, is gone (a host that
    // restarted while its pushes were not reaching us).
    const live = new Set(overview.actors.map((record) => actorKey(source, record.actorId)));
    const asOf = Math.max(0, ...overview.actors.map((r) => r.at), ...overview.recent.map((r) => r.at));
    for (const [key, actor] of this.#actors) {
      if (actor.source === source && !live.has(key) && !ENDED.has(actor.status) && actor.at <= asOf) this.#actors.delete(key);
    }
    this.#changed();
  }

  /** A feed whose actors are gone (the Node host restarted): its actors leave, the log stays. */
  forget(source: Source): void {
    for (const [key, actor] of this.#actors) if (actor.source === source) this.#actors.delete(key);
    for (const key of this.#received.keys()) if (key.startsWith(`${source}:`)) this.#received.delete(key);
    this.#ended = this.#ended.filter((key) => !key.startsWith(`${source}:`));
    this.#changed();
  }

  clearLog(): void {
    this.#log.clear();
    this.#changed();
  }

  #apply(source: Source, record: FeedRecord, live: boolean): void {
    const key = actorKey(source, record.actorId);
    const known = this.#actors.get(key);
    if (record.type === 'event') {
      if (record.event && record.source) {
        const sender = this.#actors.get(actorKey(source, record.source));
        this.#received.set(key, { type: record.event.type, sender: sender ? displayName(sender) : record.source });
      }
      return;
    }
    const status = record.status ?? known?.status ?? 'active';
    const state = record.state === undefined ? known?.state : record.state;
    const before = known ? stateText(known) : undefined;
    const after = stateText({ state, status });
    const changed = before !== after;
    const event = record.event?.type ?? 'xstate.start';
    const actor: InspectedActor = {
      key,
      source,
      actorId: record.actorId,
      name: record.name,
      ...(record.systemId ? { systemId: record.systemId } : {}),
      ...(record.parent ? { parent: actorKey(source, record.parent) } : known?.parent ? { parent: known.parent } : {}),
      ...(record.machine ? { machine: record.machine } : known?.machine ? { machine: known.machine } : {}),
      ...(state !== undefined ? { state } : {}),
      status,
      ...(record.contextSummary !== undefined ? { context: record.contextSummary } : known?.context !== undefined ? { context: known.context } : {}),
      lastEvent: event,
      changed,
      ...(changed ? (known?.state !== undefined ? { previousState: known.state } : {}) : known?.previousState !== undefined ? { previousState: known.previousState } : {}),
      transitions: (known?.transitions ?? 0) + (known && changed ? 1 : 0),
      at: record.at,
    };
    this.#actors.set(key, actor);
    if (ENDED.has(status) && !(known && ENDED.has(known.status))) this.#ended.push(key);
    if (!live) return;
    const received = this.#received.get(key);
    this.#received.delete(key);
    const sender = received?.type === event ? received.sender : undefined;
    this.#log.push(this.#entry(source, key, displayName(actor), record.at, event, before, after, sender));
  }

  #entry(source: Source, actor: string, actorName: string, at: number, event: string, from: string | undefined, to: string, sender?: string): LogEntry {
    return {
      id: this.#nextId++,
      source,
      actor,
      actorName,
      at,
      event,
      ...(from !== undefined ? { from } : {}),
      to,
      changed: from !== to,
      ...(sender ? { sender } : {}),
    };
  }

  /** Ended actors beyond MAX_ENDED leave the tree, oldest first. */
  #trimEnded(): void {
    if (this.#ended.length <= MAX_ENDED) return;
    const excess = this.#ended.length - MAX_ENDED;
    const leaving = this.#ended.slice(0, excess).filter((key) => !this.keep(key));
    for (const key of leaving) this.#actors.delete(key);
    const left = new Set(leaving);
    this.#ended = this.#ended.filter((key) => !left.has(key));
  }

  #changed(): void {
    this.version++;
    for (const listener of this.#listeners) listener();
  }
}

/** A machine's state as text (`answering.tools.running`); a non-machine's status. */
export function stateText(actor: { readonly state?: unknown; readonly status?: string }): string {
  return actor.state === undefined || actor.state === null ? (actor.status ?? 'active') : formatState(actor.state);
}

/**
 * Every active state path of a state value, ancestors included:
 * `{ answering: { tools: 'running' } }` → '', 'answering', 'answering.tools', 'answering.tools.running'.
 */
export function activePaths(value: unknown): Set<string> {
  const paths = new Set<string>(['']);
  const walk = (node: unknown, prefix: string) => {
    if (typeof node === 'string') {
      paths.add(prefix === '' ? node : `${prefix}.${node}`);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, inner] of Object.entries(node as Record<string, unknown>)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      paths.add(path);
      walk(inner, path);
    }
  };
  walk(value, '');
  return paths;
}
