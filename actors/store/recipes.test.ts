import { describe, expect, it } from 'vitest';
import { RecipeRegistry, type Recipe } from './recipes.ts';
import { isStoreError, type StoreErrorCode } from './store-error.ts';

function expectCode(action: () => unknown, code: StoreErrorCode, message?: RegExp): void {
  try {
    action();
  } catch (error) {
    expect(isStoreError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
    if (message) expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected StoreError ${code}, but nothing was thrown`);
}

const Contact: Recipe = {
  name: 'Contact',
  fields: {
    handle: { type: { kind: 'string' }, identity: true },
    phones: { type: { kind: 'list', item: { kind: 'string' } }, optional: true },
    friends: { type: { kind: 'map', value: { kind: 'idref' } }, optional: true },
  },
};

describe('recipes', () => {
  it('accepts the same shape twice, whatever the key order, and refuses a different one', () => {
    const registry = new RecipeRegistry([Contact]);
    registry.register({ name: 'Contact', fields: { friends: Contact.fields.friends!, phones: Contact.fields.phones!, handle: Contact.fields.handle! } });
    expectCode(() => registry.register({ name: 'Contact', fields: { handle: { type: { kind: 'string' } } } }), 'RECIPE_CONFLICT', /Contact/);
    expectCode(() => registry.register({ ...Contact, fields: { ...Contact.fields, handle: { type: { kind: 'integer' }, identity: true } } }), 'RECIPE_CONFLICT');
  });

  it('refuses malformed recipes', () => {
    const registry = new RecipeRegistry();
    expectCode(() => registry.register({ name: '$Bad', fields: {} }), 'INVALID_RECIPE');
    expectCode(() => registry.register({ name: 'Bad', fields: { 'a-b': { type: { kind: 'string' } } } }), 'INVALID_RECIPE');
    expectCode(() => registry.register({ name: 'Bad', fields: { id: { type: { kind: 'string' }, identity: true, optional: true } } }), 'INVALID_RECIPE');
  });

  it('names the field path of a nested problem', () => {
    const registry = new RecipeRegistry([Contact]);
    expectCode(() => registry.validate({ $type$: 'Contact', handle: 'h', phones: ['1', 2] }), 'FIELD_TYPE', /Contact\.phones\[1\] must be a well-formed string, got the number 2/);
    expectCode(() => registry.validate({ $type$: 'Contact', handle: 'h', friends: { ann: 'nope' } }), 'FIELD_TYPE', /Contact\.friends\["ann"\]/);
    expectCode(() => registry.validate({ $type$: 'Contact', handle: 'h', phones: null }), 'FIELD_TYPE', /got null/);
  });

  it('collects every reference with its kind', () => {
    const registry = new RecipeRegistry([Contact]);
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    expect(registry.validate({ $type$: 'Contact', handle: 'h', friends: { x: a, y: b } })).toEqual([
      { hash: a, kind: 'idref' },
      { hash: b, kind: 'idref' },
    ]);
  });

  it('validates ID objects: identity fields only, and only for versioned types', () => {
    const registry = new RecipeRegistry([Contact, { name: 'Plain', fields: { x: { type: { kind: 'string' } } } }]);
    expect(registry.validate({ $type$: 'Contact', $id$: true, handle: 'h' })).toEqual([]);
    expectCode(() => registry.validate({ $type$: 'Contact', $id$: true, handle: 'h', phones: [] }), 'UNKNOWN_FIELD', /ID object of Contact/);
    expectCode(() => registry.validate({ $type$: 'Plain', $id$: true }), 'NOT_VERSIONED');
    expectCode(() => registry.validate({ $type$: 'Contact', $id$: 1, handle: 'h' }), 'FIELD_TYPE');
  });

  it('refuses values that would not survive encoding: lone surrogates, NaN, unsafe integers, class instances', () => {
    const registry = new RecipeRegistry([
      { name: 'Num', fields: { i: { type: { kind: 'integer' }, optional: true }, f: { type: { kind: 'number' }, optional: true }, s: { type: { kind: 'string' }, optional: true } } },
    ]);
    expectCode(() => registry.validate({ $type$: 'Num', s: 'a\ud800' }), 'FIELD_TYPE');
    expectCode(() => registry.validate({ $type$: 'Num', f: Number.NaN }), 'FIELD_TYPE');
    expectCode(() => registry.validate({ $type$: 'Num', i: 2 ** 53 }), 'FIELD_TYPE');
    expectCode(() => registry.validate(new Date()), 'FIELD_TYPE');
    expectCode(() => registry.validate({ $type$: 'Nope' }), 'UNKNOWN_TYPE', /"Nope"/);
  });
});
