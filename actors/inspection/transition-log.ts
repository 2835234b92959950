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

/** `{ live: { running: { workerPool: 'up' } } }` → `live.running.workerPool.up`; parallel regions joined with `|`. */
export function formatState(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.map(([key, inner]) => {
      const rest = formatState(inner);
      return rest.includes('|') ? `${key}.{${rest}}` : `${key}.${rest}`;
    }).join('|');
  }
  return String(value);
}
