import type { Llm } from '../ai/ai-recipes.ts';
import type { Person } from '../identity/identity-recipes.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { LamaObject } from '../store/recipes.ts';
import type { ChatPerson } from '../../machines/chat-view.ts';
import type { ChatSource } from './chat-source.ts';

/**
 * Names for the people in the views: a Person's `name`, an AI's model name; whether a Person is an
 * AI contact (it has an LLM object); and whether it is the user — the browser's own Person or the
 * Node archive's, which is the same human on another instance. Found names are remembered until
 * `forget`; an unknown Person is looked up again next time (it may have synced meanwhile).
 */
export class ChatPeople {
  readonly #known = new Map<SHA256Hash, Omit<ChatPerson, 'self'>>();

  constructor(private readonly source: ChatSource) {}

  /** Forgets what was found: a write brought Persons or LLM objects (a name changed, an AI arrived). */
  forget(): void {
    this.#known.clear();
  }

  isSelf(person: SHA256Hash): boolean {
    return person === this.source.chat?.me || person === this.source.nodePerson;
  }

  async person(id: SHA256Hash): Promise<ChatPerson> {
    const found = this.#known.get(id) ?? (await this.#lookUp(id));
    return { ...found, self: this.isSelf(id) };
  }

  people(ids: readonly SHA256Hash[]): Promise<ChatPerson[]> {
    return Promise.all(ids.map((id) => this.person(id)));
  }

  async #lookUp(id: SHA256Hash): Promise<Omit<ChatPerson, 'self'>> {
    const { store } = this.source;
    const llm = await latest<Llm>(() => store.getLatest<Llm>(store.idHashOf({ $type$: 'LLM', person: id } as LamaObject)));
    const person = await latest<Person>(() => store.getLatest<Person>(id));
    const name = llm?.name ?? person?.name;
    const entry = { id, name: name ?? `Unknown ${id.slice(0, 6)}`, ai: llm !== undefined };
    if (name) this.#known.set(id, entry);
    return entry;
  }
}

/** A versioned object's current version, or undefined when this sparse store lacks it. */
async function latest<T extends LamaObject>(read: () => Promise<{ object: T } | undefined>): Promise<T | undefined> {
  try {
    return (await read())?.object;
  } catch {
    return undefined;
  }
}
