import type { SHA256Hash } from './hash.ts';
import type { ObjectStore, VersionedWrite } from './object-store.ts';
import type { LamaObject } from './recipes.ts';

/**
 * Access grants (specs/objects.md §7): who may see an object (`Access`, by hash) or every version of
 * a versioned object (`IdAccess`, by ID hash). A grant is itself versioned by its target, so writing
 * a new principal list replaces the old one — that is how access is revoked. CHUM asks
 * `accessibleBy` what to offer a peer.
 */
export type AccessTarget = { readonly object: SHA256Hash } | { readonly id: SHA256Hash };

export interface Principals {
  readonly persons?: readonly SHA256Hash[];
  readonly groups?: readonly SHA256Hash[];
}

interface Grant extends LamaObject {
  readonly object?: SHA256Hash;
  readonly id?: SHA256Hash;
  readonly persons: readonly SHA256Hash[];
  readonly groups: readonly SHA256Hash[];
}

/** Sets the full list of principals who may see `target` (an empty list revokes everyone). */
export function setAccess(store: ObjectStore, target: AccessTarget, principals: Principals): Promise<VersionedWrite> {
  const lists = { persons: [...new Set(principals.persons ?? [])].sort(), groups: [...new Set(principals.groups ?? [])].sort() };
  const grant = 'object' in target ? { $type$: 'Access', object: target.object, ...lists } : { $type$: 'IdAccess', id: target.id, ...lists };
  return store.putVersioned(grant);
}

/**
 * Objects and IDs that any of `principals` (a person and the groups it belongs to) may see under
 * the current version of each grant. Superseded grant versions do not count.
 */
export async function accessibleBy(store: ObjectStore, principals: readonly SHA256Hash[]): Promise<{ objects: SHA256Hash[]; ids: SHA256Hash[] }> {
  const candidates = new Set<SHA256Hash>();
  for (const principal of principals) {
    for (const type of ['Access', 'IdAccess']) for (const hash of await store.referencing(principal, type)) candidates.add(hash);
  }
  const objects = new Set<SHA256Hash>();
  const ids = new Set<SHA256Hash>();
  for (const hash of candidates) {
    const grant = await store.get<Grant>(hash);
    const latest = await store.getLatest<Grant>(store.idHashOf(grant));
    if (latest?.hash !== hash) continue;
    if (grant.object) objects.add(grant.object);
    if (grant.id) ids.add(grant.id);
  }
  return { objects: [...objects].sort(), ids: [...ids].sort() };
}
