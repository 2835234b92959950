import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { Llm } from './ai-recipes.ts';

/**
 * The AI contacts a store can see that `owner` runs (specs/ai.md §1) — what the browser lists to
 * start a chat with an AI: the LLM objects that came by CHUM, newest version of each.
 */
export async function visibleAiContacts(store: ObjectStore, owner: SHA256Hash): Promise<{ personId: SHA256Hash; llm: Llm }[]> {
  const persons = new Set<SHA256Hash>();
  for (const hash of await store.referencing(owner, 'LLM')) {
    const llm = (await store.getMany<Llm>([hash]))[0];
    if (llm) persons.add(llm.person);
  }
  const out: { personId: SHA256Hash; llm: Llm }[] = [];
  for (const personId of persons) {
    const latest = await store.getLatest<Llm>(store.idHashOf({ $type$: 'LLM', person: personId } as unknown as Llm));
    if (latest && latest.object.owner === owner) out.push({ personId, llm: latest.object });
  }
  return out.sort((a, b) => a.llm.name.localeCompare(b.llm.name));
}
