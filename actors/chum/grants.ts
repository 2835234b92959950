import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { LamaObject } from '../store/recipes.ts';

/**
 * What a peer may see, at the root (specs/chum.md §4.1): the targets of the current Access and
 * IdAccess grants that name its Person, or a Group whose current version lists it as a member.
 * Each root keeps the ID hashes whose versions decided it (its grant, and the group it came
 * through), so a resumed session can tell a root that is new since the peer's cursor.
 */
export interface Root {
  readonly kind: 'object' | 'id';
  readonly hash: SHA256Hash;
  /** Each way it is granted: the ID hashes of the grant and, for a grant to a group, of the group. */
  readonly ways: readonly (readonly SHA256Hash[])[];
}

interface Grant extends LamaObject {
  readonly object?: SHA256Hash;
  readonly id?: SHA256Hash;
  readonly persons: readonly SHA256Hash[];
  readonly groups: readonly SHA256Hash[];
}

interface Group extends LamaObject {
  readonly members: readonly SHA256Hash[];
}

/** The $types$ whose writes can change what a peer may see at the root. */
export const GRANT_TYPES: ReadonlySet<string> = new Set(['Access', 'IdAccess', 'Group']);

/** ID hashes of the groups whose current version lists `person` as a member. */
export async function groupsOf(store: ObjectStore, person: SHA256Hash): Promise<SHA256Hash[]> {
  const groups = new Set<SHA256Hash>();
  for (const hash of await store.referencing(person, 'Group')) {
    const group = await store.get<Group>(hash);
    if (group.$id$ || !group.members.includes(person)) continue;
    const idHash = store.idHashOf(group);
    if ((await store.getLatest(idHash))?.hash === hash) groups.add(idHash);
  }
  return [...groups].sort();
}

export async function rootsFor(store: ObjectStore, person: SHA256Hash): Promise<Root[]> {
  const principals: { id: SHA256Hash; group?: SHA256Hash }[] = [{ id: person }, ...(await groupsOf(store, person)).map((id) => ({ id, group: id }))];
  const roots = new Map<string, { kind: Root['kind']; hash: SHA256Hash; ways: SHA256Hash[][] }>();
  for (const principal of principals) {
    for (const type of ['Access', 'IdAccess']) {
      for (const hash of await store.referencing(principal.id, type)) {
        const grant = await store.get<Grant>(hash);
        const grantId = store.idHashOf(grant);
        if ((await store.getLatest(grantId))?.hash !== hash) continue; // superseded: revoked or changed
        const kind = grant.object ? 'object' : 'id';
        const target = grant.object ?? grant.id!;
        const way = principal.group ? [grantId, principal.group] : [grantId];
        const key = `${kind}:${target}`;
        const known = roots.get(key);
        if (known) known.ways.push(way);
        else roots.set(key, { kind, hash: target, ways: [way] });
      }
    }
  }
  return [...roots.values()].sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
}

/** Whether any version of `idHash` arrived after `seq`: then what it decides may have changed since. */
export async function changedSince(store: ObjectStore, idHash: SHA256Hash, seq: number): Promise<boolean> {
  const seqs = await store.adapter.getSeqs(await store.referencing(idHash, 'VersionNode'));
  return seqs.some((s) => s === undefined || s > seq);
}

/**
 * A root is old for cursor `seq` when one way it is granted has not changed since (neither the
 * grant nor the group): the peer could see it then, and all along.
 */
export async function isOldRoot(store: ObjectStore, root: Root, seq: number): Promise<boolean> {
  for (const way of root.ways) {
    let unchanged = true;
    for (const idHash of way) if (await changedSince(store, idHash, seq)) unchanged = false;
    if (unchanged) return true;
  }
  return false;
}
