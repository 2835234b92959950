import type { LamaObject } from '../../actors/store/recipes.ts';

/**
 * The objects behind specs/object-vectors.json. Bytes appear in the JSON file as {"$bytes$": hex};
 * everything else is plain JSON. Recipes: Note, Sample, Setting (actors/store/storage-adapter-tests.ts)
 * and the store's own VersionNode, Access, IdAccess (actors/store/store-recipes.ts).
 */
const h = (digit: string) => digit.repeat(64);

export const OBJECT_VECTOR_CASES: { name: string; object: LamaObject }[] = [
  { name: 'empty string field', object: { $type$: 'Note', text: '' } as LamaObject },
  { name: 'unicode text and an integer', object: { $type$: 'Note', text: 'Grüße, 世界 🦙', n: 7 } as LamaObject },
  { name: 'largest safe integer', object: { $type$: 'Note', text: 'max', n: Number.MAX_SAFE_INTEGER } as LamaObject },
  { name: 'negative integer', object: { $type$: 'Note', text: 'min', n: -Number.MAX_SAFE_INTEGER } as LamaObject },
  {
    name: 'every field kind',
    object: {
      $type$: 'Sample',
      title: 'all kinds',
      count: 24,
      ratio: 0.1,
      done: false,
      raw: new Uint8Array([0, 1, 254, 255]),
      about: h('a'),
      owner: h('b'),
      attachment: h('c'),
      tags: ['one', 'two', 'three'],
      scores: { b: 1, aa: 2, ccc: -3 },
      place: { lat: -33.8688, label: 'Sydney' },
    } as LamaObject,
  },
  {
    name: 'optional fields absent, integral number, empty collections',
    object: { $type$: 'Sample', title: '', count: 0, ratio: 2, done: true, raw: new Uint8Array([]), tags: [], scores: {} } as LamaObject,
  },
  { name: 'versioned object', object: { $type$: 'Setting', key: 'theme', value: 'dark' } as LamaObject },
  { name: 'ID object', object: { $type$: 'Setting', $id$: true, key: 'theme' } as LamaObject },
  {
    name: 'first version node',
    object: { $type$: 'VersionNode', id: h('1'), data: h('2'), parents: [], timestamp: 1764000000000, depth: 1 } as LamaObject,
  },
  {
    name: 'merge version node',
    object: { $type$: 'VersionNode', id: h('1'), data: h('5'), parents: [h('3'), h('4')], timestamp: 1764000000123, depth: 3 } as LamaObject,
  },
  { name: 'access grant', object: { $type$: 'Access', object: h('d'), persons: [h('e')], groups: [] } as LamaObject },
  { name: 'ID access grant', object: { $type$: 'IdAccess', id: h('f'), persons: [], groups: [h('0'), h('9')] } as LamaObject },
];

/** JSON form used in the vectors file: Uint8Array ↔ {"$bytes$": hex}. */
export function toVectorJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes$: [...value].map((b) => b.toString(16).padStart(2, '0')).join('') };
  if (Array.isArray(value)) return value.map(toVectorJson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toVectorJson(v)]));
  return value;
}

export function fromVectorJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromVectorJson);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$bytes$ === 'string') return Uint8Array.from(record.$bytes$.match(/../g) ?? [], (b) => parseInt(b, 16));
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fromVectorJson(v)]));
  }
  return value;
}
