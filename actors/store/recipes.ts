import { isSHA256Hash, type SHA256Hash } from './hash.ts';
import { StoreError } from './store-error.ts';

/**
 * Recipes are the type system of the store (specs/objects.md §2): a recipe names a `$type$` and
 * describes its fields. Validation walks an object once, checks every field against its type and
 * collects the hashes it references, which feed the reverse maps.
 */
export type FieldType =
  | { kind: 'string' }
  | { kind: 'integer' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'bytes' }
  | { kind: 'ref' } // SHA-256 of an object
  | { kind: 'idref' } // ID hash of a versioned object
  | { kind: 'blob' } // SHA-256 of a BLOB
  | { kind: 'list'; item: FieldType }
  | { kind: 'map'; value: FieldType } // string keys
  | { kind: 'record'; fields: Readonly<Record<string, FieldSpec>> };

export interface FieldSpec {
  readonly type: FieldType;
  readonly optional?: boolean;
  /** Identity fields name a versioned thing: their values make the ID hash (specs/objects.md §4). */
  readonly identity?: boolean;
}

export interface Recipe {
  readonly name: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

/** A typed record in the store. `$id$` marks an ID object (the identity fields alone). */
export interface LamaObject {
  readonly $type$: string;
  readonly $id$?: true;
}

export type ReferenceKind = 'ref' | 'idref' | 'blob';
export interface Reference {
  readonly hash: SHA256Hash;
  readonly kind: ReferenceKind;
}

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

export class RecipeRegistry {
  readonly #recipes = new Map<string, { recipe: Recipe; shape: string; identity: string[] }>();

  constructor(recipes: readonly Recipe[] = []) {
    for (const recipe of recipes) this.register(recipe);
  }

  /** Registers a recipe; the same shape again is a no-op, a different shape under a taken name an error. */
  register(recipe: Recipe): void {
    checkRecipe(recipe);
    const shape = canonicalShape(recipe);
    const existing = this.#recipes.get(recipe.name);
    if (existing) {
      if (existing.shape !== shape) {
        throw new StoreError('RECIPE_CONFLICT', `recipe ${recipe.name} is already registered with a different shape`);
      }
      return;
    }
    const identity = Object.keys(recipe.fields).filter((field) => recipe.fields[field]?.identity).sort();
    this.#recipes.set(recipe.name, { recipe, shape, identity });
  }

  has(type: string): boolean {
    return this.#recipes.has(type);
  }

  get(type: string): Recipe {
    return this.#entry(type).recipe;
  }

  /** Names of the identity fields, sorted; empty for unversioned types. */
  identityFields(type: string): readonly string[] {
    return this.#entry(type).identity;
  }

  /**
   * Checks an object (or an ID object) against its recipe and returns the hashes it references.
   * Throws a StoreError naming the type and the field path on the first problem.
   */
  validate(object: unknown): Reference[] {
    if (!isPlainRecord(object)) throw new StoreError('FIELD_TYPE', 'an object must be a plain record with a $type$');
    const type = object.$type$;
    if (typeof type !== 'string') throw new StoreError('MISSING_FIELD', 'object has no $type$');
    const { recipe, identity } = this.#entry(type);
    const isIdObject = object.$id$ !== undefined;
    if (isIdObject && object.$id$ !== true) throw new StoreError('FIELD_TYPE', `${type}.$id$ must be true`);
    if (isIdObject && identity.length === 0) {
      throw new StoreError('NOT_VERSIONED', `${type} has no identity fields, so it has no ID object`);
    }
    const refs: Reference[] = [];
    for (const key of Object.keys(object)) {
      if (key === '$type$' || key === '$id$') continue;
      const spec = recipe.fields[key];
      if (!spec || (isIdObject && !spec.identity)) {
        throw new StoreError('UNKNOWN_FIELD', `${type}.${key} is not a field of ${isIdObject ? 'the ID object of ' : ''}${type}`);
      }
    }
    for (const [field, spec] of Object.entries(recipe.fields)) {
      if (isIdObject && !spec.identity) continue;
      checkField(object[field], spec, `${type}.${field}`, refs);
    }
    return refs;
  }

  #entry(type: string) {
    const entry = this.#recipes.get(type);
    if (!entry) throw new StoreError('UNKNOWN_TYPE', `unknown $type$ ${JSON.stringify(type)}: no recipe is registered`);
    return entry;
  }
}

function checkField(value: unknown, spec: FieldSpec, path: string, refs: Reference[]): void {
  if (value === undefined) {
    if (spec.optional) return;
    throw new StoreError('MISSING_FIELD', `${path} is required`);
  }
  checkValue(value, spec.type, path, refs);
}

function checkValue(value: unknown, type: FieldType, path: string, refs: Reference[]): void {
  const wrong = (expected: string) =>
    new StoreError('FIELD_TYPE', `${path} must be ${expected}, got ${describe(value)}`);
  switch (type.kind) {
    case 'string':
      // Lone surrogates would not survive UTF-8 encoding, so the hash would name a different string.
      if (typeof value !== 'string' || !value.isWellFormed()) throw wrong('a well-formed string');
      return;
    case 'integer':
      if (!Number.isSafeInteger(value)) throw wrong('a safe integer');
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw wrong('a finite number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw wrong('a boolean');
      return;
    case 'bytes':
      if (!(value instanceof Uint8Array)) throw wrong('bytes (Uint8Array)');
      return;
    case 'ref':
    case 'idref':
    case 'blob':
      if (!isSHA256Hash(value)) throw wrong('a SHA-256 hash (64 lowercase hex digits)');
      refs.push({ hash: value, kind: type.kind });
      return;
    case 'list':
      if (!Array.isArray(value)) throw wrong('a list');
      value.forEach((item, i) => checkValue(item, type.item, `${path}[${i}]`, refs));
      return;
    case 'map':
      if (!isPlainRecord(value)) throw wrong('a map');
      for (const [key, item] of Object.entries(value)) {
        if (!key.isWellFormed()) throw wrong('a map with well-formed string keys');
        checkValue(item, type.value, `${path}[${JSON.stringify(key)}]`, refs);
      }
      return;
    case 'record': {
      if (!isPlainRecord(value)) throw wrong('a record');
      for (const key of Object.keys(value)) {
        if (!type.fields[key]) throw new StoreError('UNKNOWN_FIELD', `${path}.${key} is not a field`);
      }
      for (const [field, spec] of Object.entries(type.fields)) checkField(value[field], spec, `${path}.${field}`, refs);
      return;
    }
  }
}

function checkRecipe(recipe: Recipe): void {
  if (!NAME_PATTERN.test(recipe.name)) throw new StoreError('INVALID_RECIPE', `recipe name ${JSON.stringify(recipe.name)} is not an identifier`);
  for (const [field, spec] of Object.entries(recipe.fields)) {
    if (!NAME_PATTERN.test(field)) throw new StoreError('INVALID_RECIPE', `${recipe.name}.${field}: field names are identifiers`);
    if (spec.identity && spec.optional) throw new StoreError('INVALID_RECIPE', `${recipe.name}.${field}: an identity field cannot be optional`);
  }
}

/** A stable text form of a recipe's shape, so equal shapes compare equal whatever their key order. */
function canonicalShape(recipe: Recipe): string {
  const sortKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
    }
    return value;
  };
  return JSON.stringify(sortKeys(recipe.fields));
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}…` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  return typeof value;
}
