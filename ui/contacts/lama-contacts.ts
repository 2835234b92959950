import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LamaNavigateEvent } from '../app/app-events.ts';
import { HostQuery } from '../app/host-query.ts';
import { icon } from '../app/icons.ts';
import { viewStyles } from '../app/view.styles.ts';
import type { RendererServices } from '../services.ts';
import { controls, theme } from '../theme.styles.ts';
import { DIRECTORY_TYPES, loadDirectory, startChat, type Contact, type Directory } from './contact-directory.ts';
import { styles } from './lama-contacts.styles.ts';

const PROVIDER_LABELS: Record<string, string> = { ollama: 'Ollama', lmstudio: 'LM Studio', claude: 'Claude', embedded: 'Embedded' };
/** Store writes come in bursts while CHUM syncs: read the directory once per burst. */
const RELOAD_DELAY_MS = 300;

/**
 * People and AI contacts, side by side: pick one or several (humans and AIs mixed) and start a
 * chat, which opens in Chats. Reads through the browser instance; the topic it starts includes the
 * user's Node archive, which answers for the AIs and keeps the history.
 */
@customElement('lama-contacts')
export class LamaContacts extends LitElement {
  static override styles = [theme, controls, viewStyles, styles];

  @property({ attribute: false }) services?: RendererServices;
  @state() private directory?: Directory;
  @state() private selected = new Set<string>();
  @state() private filter = '';
  @state() private starting = false;
  @state() private problem?: string;
  /** Which providers are configured and healthy, to mark AI contacts that cannot answer now. */
  #providers = new HostQuery(this, () => this.services, 'orchestrate:aiProviders', () => ({}), 'status:aiProviders');
  #stopWatching?: () => void;
  #reload?: ReturnType<typeof setTimeout>;

  override connectedCallback(): void {
    super.connectedCallback();
    const instance = this.services?.instance;
    if (!instance) return;
    void this.#load();
    this.#stopWatching = instance.store.onWrite((write) => {
      if (write.decoded.some((object) => DIRECTORY_TYPES.has(object.$type$))) this.#reload ??= setTimeout(() => void this.#load(), RELOAD_DELAY_MS);
    });
  }

  override disconnectedCallback(): void {
    this.#stopWatching?.();
    clearTimeout(this.#reload);
    this.#reload = undefined;
    super.disconnectedCallback();
  }

  async #load(): Promise<void> {
    this.#reload = undefined;
    try {
      this.directory = await loadDirectory(this.services!.instance);
    } catch (error) {
      this.problem = `Could not read your contacts: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  override render() {
    const directory = this.directory;
    const all = directory ? [...directory.ai, ...directory.people] : [];
    const chosen = all.filter((c) => this.selected.has(c.personId));
    return html`<div class="view">
      <header class="view-header">
        <div>
          <h1>Contacts</h1>
          <p>People and AI models you can talk to. Pick one or several to start a chat.</p>
        </div>
        <div class="actions">
          <label class="search">
            ${icon('search', 16)}
            <input type="search" placeholder="Filter" aria-label="Filter contacts" .value=${this.filter} @input=${(e: InputEvent) => (this.filter = (e.target as HTMLInputElement).value)} />
          </label>
        </div>
      </header>
      ${this.problem ? html`<p class="error-text" role="alert">${this.problem}</p>` : nothing}
      ${directory === undefined
        ? html`<p class="empty" role="status">Loading contacts…</p>`
        : html`
            <section aria-labelledby="ai-heading">
              <h2 id="ai-heading">${icon('ai', 16)} AI models <span class="count">${directory.ai.length}</span></h2>
              <div class="card">${this.#list(directory.ai, directory.linked ? 'No AI models yet. Add a provider in Settings — its models appear here as contacts.' : 'Waiting for the link to your archive; your AI models appear once it is up.')}</div>
            </section>
            <section aria-labelledby="people-heading">
              <h2 id="people-heading">${icon('person', 16)} People <span class="count">${directory.people.length}</span></h2>
              <div class="card">${this.#list(directory.people, 'People you share chats with appear here. Inviting people and pairing devices comes with the Internet of Me update.')}</div>
            </section>
          `}
      <div class="spacer"></div>
      <div class="selection" ?hidden=${chosen.length === 0} role="region" aria-label="Selected contacts">
        <span class="grow ellipsis">${chosen.length === 1 ? chosen[0]!.name : `${chosen.length} selected: ${chosen.map((c) => c.name).join(', ')}`}</span>
        <button class="ghost small" @click=${() => (this.selected = new Set())}>Clear</button>
        <button class="primary" ?disabled=${this.starting} @click=${() => void this.#start(chosen)}>${icon('chats', 16)} ${chosen.length > 1 ? 'Start group chat' : 'Start chat'}</button>
      </div>
    </div>`;
  }

  #list(contacts: readonly Contact[], empty: string) {
    const needle = this.filter.trim().toLowerCase();
    const configured = new Set(this.#providers.value?.providers.map((p) => p.id));
    // AI contacts whose provider is gone go last: they keep their chats but no longer answer.
    const gone = (c: Contact) => (c.ai && this.#providers.value && !configured.has(c.ai.provider) ? 1 : 0);
    const shown = (needle ? contacts.filter((c) => `${c.name} ${c.ai?.modelId ?? ''} ${c.ai?.providerKind ?? ''}`.toLowerCase().includes(needle)) : contacts).toSorted((a, b) => gone(a) - gone(b));
    if (contacts.length === 0) return html`<p class="empty">${empty}</p>`;
    if (shown.length === 0) return html`<p class="empty">Nobody matches “${this.filter}”.</p>`;
    return html`<ul class="rows" role="list">
      ${shown.map((contact) => {
        const id = `pick-${contact.personId}`;
        return html`<li class=${this.selected.has(contact.personId) ? 'picked' : ''}>
          <input type="checkbox" id=${id} .checked=${this.selected.has(contact.personId)} @change=${() => this.#toggle(contact.personId)} aria-label="Select ${contact.name}" />
          <label for=${id} class="who grow">
            <span class="avatar ${contact.kind === 'ai' ? 'ai' : ''}" aria-hidden="true">${contact.kind === 'ai' ? icon('ai', 18) : initials(contact.name)}</span>
            <span class="grow">
              <span class="name ellipsis">${contact.name}${this.#availability(contact)}</span>
              <span class="secondary ellipsis">${contact.ai ? describeAi(contact.ai) : 'Person'}</span>
            </span>
          </label>
          <button class="small" @click=${() => void this.#start([contact])} ?disabled=${this.starting} aria-label="Chat with ${contact.name}">Chat</button>
        </li>`;
      })}
    </ul>`;
  }

  /** An AI contact whose provider is gone or down still has its chats, but will not answer now: say so. */
  #availability(contact: Contact) {
    const providers = this.#providers.value?.providers;
    if (!contact.ai || !providers) return nothing;
    const provider = providers.find((p) => p.id === contact.ai!.provider);
    if (!provider) return html` <span class="badge" title="Its provider was removed from Settings">Provider removed</span>`;
    if (provider.health && provider.health.status !== 'ok') return html` <span class="badge warn" title=${provider.health.message}>Not reachable</span>`;
    return nothing;
  }

  #toggle(personId: string): void {
    const next = new Set(this.selected);
    if (!next.delete(personId)) next.add(personId);
    this.selected = next;
  }

  async #start(contacts: readonly Contact[]): Promise<void> {
    if (contacts.length === 0 || !this.services) return;
    this.starting = true;
    this.problem = undefined;
    try {
      const topic = await startChat(this.services.instance, contacts);
      this.selected = new Set();
      this.dispatchEvent(new LamaNavigateEvent({ view: 'chats', topic }));
    } catch (error) {
      this.problem = `Could not start the chat: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.starting = false;
    }
  }
}

export function describeAi(ai: NonNullable<Contact['ai']>): string {
  const kind = PROVIDER_LABELS[ai.providerKind] ?? ai.providerKind;
  // A second provider of one kind (ollama-2) is named, so two contacts of the same model can be told apart.
  const parts = [ai.provider === ai.providerKind ? kind : `${kind} (${ai.provider})`, ai.modelId];
  if (ai.contextLength > 0) parts.push(`${ai.contextLength >= 1024 ? `${Math.round(ai.contextLength / 1024)}K` : ai.contextLength} context`);
  if (ai.tools) parts.push('uses tools');
  return parts.join(' · ');
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return ((words[0]?.[0] ?? '?') + (words.length > 1 ? words.at(-1)![0]! : '')).toUpperCase();
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-contacts': LamaContacts;
  }
}
