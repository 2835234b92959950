import type { InspectionRecord } from './inspection-collector.ts';

/**
 * Turns inspection records into one readable line per state change (`npm start -- --inspect`):
 *   provisioning  checking → awaitingUser  (xstate.done.actor.0.provisioning.checking)
 * Snapshots that do not change the state (context-only updates) print nothing.
 */
export class TransitionLog {
  readonly #last = new Map<string, string>();

  lines(batch: readonly InspectionRecord[]): string[] {
    const out: string[] = [];
    for (const record of batch) {
      if (record.type !== 'snapshot') continue;
      const state = record.state === undefined ? (record.status ?? '?') : formatState(record.state);
      const previous = this.#last.get(record.actorId);
      if (previous === state) continue;
      this.#last.set(record.actorId, state);
      const who = record.systemId ?? record.name;
      out.push(`${who}  ${previous === undefined ? '◦' : previous} → ${state}  (${record.event?.type ?? 'start'})`);
    }
    return out;
  }
}

/** `{ live: { running: { workerPool: 'up' } } }` → `live.running.workerPool.up`; parallel regions as `{a.up|b.idle}`. */
export function formatState(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>).map(([key, inner]) => `${key}.${formatState(inner)}`);
    return parts.length === 1 ? parts[0]! : `{${parts.join('|')}}`;
  }
  return String(value);
}
