/**
 * A bounded, JSON-safe picture of an actor's context for the inspector: small enough to stream,
 * never carrying secrets. Fields whose names suggest secrets are redacted wherever they appear.
 */
const SECRET_NAME = /pass(word|phrase)?|secret|private|token|api[-_]?key|seed/i;
const MAX_STRING = 120;
const MAX_ITEMS = 8;
const MAX_DEPTH = 3;

export function summarize(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return Number.isFinite(value) || typeof value !== 'number' ? value : String(value);
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} chars)` : value;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return '«function»';
  if (value instanceof Uint8Array) return `«${value.byteLength} bytes»`;
  if (isActorRef(value)) return `«actor ${value.id}»`;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? `«list of ${value.length}»` : '«…»';
  if (Array.isArray(value)) {
    const shown = value.slice(0, MAX_ITEMS).map((item) => summarize(item, depth + 1) ?? null);
    return value.length > MAX_ITEMS ? [...shown, `«${value.length - MAX_ITEMS} more»`] : shown;
  }
  if (value instanceof Map) return summarize(Object.fromEntries(value), depth);
  if (value instanceof Set) return summarize([...value], depth);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const [key, item] of entries.slice(0, MAX_ITEMS * 2)) {
      // Like JSON: a field holding undefined is left out (the IPC schema accepts JSON values only).
      if (item === undefined) continue;
      out[key] = SECRET_NAME.test(key) ? '«redacted»' : summarize(item, depth + 1);
    }
    if (entries.length > MAX_ITEMS * 2) out['…'] = `«${entries.length - MAX_ITEMS * 2} more fields»`;
    return out;
  }
  return String(value);
}

function isActorRef(value: unknown): value is { id: string } {
  return typeof value === 'object' && value !== null && 'sessionId' in value && 'send' in value && typeof (value as { id?: unknown }).id === 'string';
}
