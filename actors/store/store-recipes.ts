import type { SHA256Hash } from './hash.ts';
import type { Recipe } from './recipes.ts';

/** The store's own types (specs/objects.md §4–§6). */

/** One version of a versioned object: which data, after which earlier versions. */
export const VersionNodeRecipe: Recipe = {
  name: 'VersionNode',
  fields: {
    id: { type: { kind: 'idref' } },
    data: { type: { kind: 'ref' } },
    parents: { type: { kind: 'list', item: { kind: 'ref' } } },
    /** Milliseconds since the epoch, never below a parent's timestamp + 1 (so a child always sorts after its parents). */
    timestamp: { type: { kind: 'integer' } },
    /** 1 + the greatest parent depth; 1 for a first version. */
    depth: { type: { kind: 'integer' } },
  },
};

const principals = {
  persons: { type: { kind: 'list', item: { kind: 'idref' } } },
  groups: { type: { kind: 'list', item: { kind: 'idref' } } },
} as const;

/** Who may see one object (an unversioned hash). Versioned by its target, so a new version revokes. */
export const AccessRecipe: Recipe = {
  name: 'Access',
  fields: { object: { type: { kind: 'ref' }, identity: true }, ...principals },
};

/** Who may see every version of a versioned object (by its ID hash). */
export const IdAccessRecipe: Recipe = {
  name: 'IdAccess',
  fields: { id: { type: { kind: 'idref' }, identity: true }, ...principals },
};

export const STORE_RECIPES: readonly Recipe[] = [VersionNodeRecipe, AccessRecipe, IdAccessRecipe];

export interface VersionNode {
  readonly $type$: 'VersionNode';
  readonly id: SHA256Hash;
  readonly data: SHA256Hash;
  readonly parents: readonly SHA256Hash[];
  readonly timestamp: number;
  readonly depth: number;
}
