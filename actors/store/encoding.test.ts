import { describe, expect, it } from 'vitest';
import vectors from '../../specs/object-vectors.json' with { type: 'json' };
import { fromVectorJson, OBJECT_VECTOR_CASES } from '../../tests/vectors/object-vector-cases.ts';
import { decodeObject, encodeObject } from './encoding.ts';
import { bytesToHex, hexToBytes } from './hash.ts';
import { RecipeRegistry, type LamaObject } from './recipes.ts';
import { NoteRecipe, SampleRecipe, SettingRecipe } from './storage-adapter-tests.ts';
import { STORE_RECIPES } from './store-recipes.ts';

// WebCrypto exists in Node 20 and Chromium alike: an implementation independent of ours checks the addresses.
const sha256Hex = async (bytes: Uint8Array) => bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
const recipes = new RecipeRegistry([...STORE_RECIPES, NoteRecipe, SampleRecipe, SettingRecipe]);

describe('object encoding against specs/object-vectors.json', () => {
  it('has at least ten vectors, one per case', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(10);
    expect(vectors.map((v) => v.name)).toEqual(OBJECT_VECTOR_CASES.map((c) => c.name));
  });

  for (const vector of vectors) {
    it(`${vector.name}: object → exact bytes → hash, and back`, async () => {
      const object = fromVectorJson(vector.object) as LamaObject;
      recipes.validate(object);
      const bytes = encodeObject(object);
      expect(bytesToHex(bytes)).toBe(vector.bytes);
      expect(await sha256Hex(bytes)).toBe(vector.sha256);
      expect(decodeObject(hexToBytes(vector.bytes), vector.sha256, { canonical: true })).toEqual(object);
    });
  }
});

describe('canonical form', () => {
  const refuse = (hex: string) => () => decodeObject(hexToBytes(hex), 'x', { canonical: true });

  it('refuses map keys out of canonical order', () => {
    // {"$type$": "Note", "text": ""} with the longer key first.
    expect(refuse('a266247479706524644e6f7465647465787460')).toThrow(/canonical/);
  });
  it('refuses a 32-bit float where the canonical form is an integer', () => {
    expect(refuse('a2616efa3f80000066247479706524644e6f7465')).toThrow(/canonical/);
  });
  it('refuses non-minimal integers, duplicate keys, indefinite lengths and trailing bytes', () => {
    for (const hex of ['a2616e18076624747970656474657874', 'a26474657874606474657874 60'.replace(' ', ''), 'bf616e01ff', 'a000']) {
      expect(refuse(hex)).toThrow(/does not decode/);
    }
  });
  it('refuses bytes without a $type$', () => {
    expect(refuse('a1616e01')).toThrow(/without a \$type\$/);
  });
});
