import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ChatFailure, ChatPerson } from '../../machines/chat-view.ts';
import { controls, theme } from '../theme.styles.ts';
import { LamaCreateTopicEvent } from './chat-events.ts';
import { avatarColour, initials } from './chat-format.ts';
import { chatTheme } from './chat-theme.styles.ts';
import { icons } from './icons.ts';
import { styles } from './lama-new-chat.styles.ts';

/** Friendlier words for why a topic could not be made. */
const REASONS: Record<string, string> = {
  NOT_LINKED: 'This browser is not linked to your LAMA archive yet, and the archive runs the AI models. Try again in a moment.',
  BAD_TOPIC: 'A chat needs a name and someone besides you.',
  LOCKED: 'Unlock LAMA first.',
};

/**
 * Starting a chat: a modal dialog listing AI models and people (mixed as the user likes), a name
 * (suggested from who was picked), and Start. Sends `lama-create-topic`; the list closes it once
 * the topic exists, or shows why it could not be made.
 */
@customElement('lama-new-chat')
export class LamaNewChat extends LitElement {
  static override styles = [theme, controls, chatTheme, styles];

  @property({ attribute: false }) contacts: readonly ChatPerson[] = [];
  @property({ type: Boolean }) busy = false;
  @property({ attribute: false }) error?: ChatFailure;
  @state() private chosen: readonly string[] = [];
  @state() private name = '';
  @state() private filter = '';
  @query('dialog') private dialog!: HTMLDialogElement;

  get isOpen(): boolean {
    return this.dialog?.open ?? false;
  }

  async show(): Promise<void> {
    this.chosen = [];
    this.name = '';
    this.filter = '';
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.renderRoot.querySelector<HTMLInputElement>('input[type="search"]')?.focus();
  }

  close(): void {
    this.dialog?.close();
  }

  override render() {
    const shown = this.contacts.filter((c) => c.name.toLowerCase().includes(this.filter.trim().toLowerCase()));
    const ais = shown.filter((c) => c.ai);
    const people = shown.filter((c) => !c.ai);
    const suggested = this.#suggestedName();
    return html`
      <dialog aria-labelledby="title" aria-describedby="lead" @close=${() => this.dispatchEvent(new Event('close'))}>
        <form @submit=${this.#submit}>
          <header>
            <h2 id="title">New chat</h2>
            <button type="button" class="ghost close" aria-label="Close" @click=${() => this.close()}>${icons.close}</button>
          </header>
          <p id="lead">Pick AI models and people — any mix. Everyone in the chat reads every message.</p>
          <label class="search">
            ${icons.search}
            <input type="search" placeholder="Search contacts" aria-label="Search contacts" .value=${this.filter} @input=${(e: InputEvent) => (this.filter = (e.target as HTMLInputElement).value)} />
          </label>
          <div class="choices">
            ${this.contacts.length === 0
              ? html`<p class="empty">No contacts yet. AI models appear here once your LAMA archive has shared them with this device.</p>`
              : shown.length === 0
                ? html`<p class="empty">Nobody matches “${this.filter}”.</p>`
                : nothing}
            ${ais.length ? this.#group('AI models', ais) : nothing}
            ${people.length ? this.#group('People', people) : nothing}
          </div>
          <label class="field">
            Chat name
            <input name="name" maxlength="200" placeholder=${suggested || 'Name this chat'} .value=${this.name} @input=${(e: InputEvent) => (this.name = (e.target as HTMLInputElement).value)} />
          </label>
          ${this.error ? html`<p class="error-text" role="alert">${REASONS[this.error.code] ?? this.error.message}</p>` : nothing}
          <footer>
            <span class="count" aria-live="polite">${this.chosen.length ? `${this.chosen.length} selected` : ''}</span>
            <button type="button" @click=${() => this.close()}>Cancel</button>
            <button type="submit" class="primary" ?disabled=${this.chosen.length === 0 || this.busy}>${this.busy ? 'Starting…' : 'Start chat'}</button>
          </footer>
        </form>
      </dialog>
    `;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('error') && this.error) this.renderRoot.querySelector<HTMLElement>('[role="alert"]')?.scrollIntoView({ block: 'nearest' });
  }

  #group(title: string, people: readonly ChatPerson[]) {
    return html`<fieldset>
      <legend>${title}</legend>
      ${people.map(
        (p) => html`<label class="choice">
          <input type="checkbox" .checked=${this.chosen.includes(p.id)} @change=${(e: Event) => this.#toggle(p.id, (e.target as HTMLInputElement).checked)} />
          <span class="avatar ${p.ai ? 'ai' : ''}" style="--avatar: ${avatarColour(p.id)}" aria-hidden="true">${p.ai ? icons.sparkle : initials(p.name)}</span>
          <span class="who"><span class="name">${p.name}</span><span class="kind">${p.ai ? 'AI model · runs on your LAMA archive' : 'Person'}</span></span>
        </label>`,
      )}
    </fieldset>`;
  }

  #toggle(id: string, on: boolean): void {
    this.chosen = on ? [...this.chosen.filter((c) => c !== id), id] : this.chosen.filter((c) => c !== id);
  }

  #suggestedName(): string {
    const names = this.chosen.map((id) => this.contacts.find((c) => c.id === id)?.name).filter((n): n is string => !!n);
    return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    if (this.chosen.length === 0 || this.busy) return;
    this.dispatchEvent(new LamaCreateTopicEvent(this.name.trim() || this.#suggestedName(), this.chosen));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-new-chat': LamaNewChat;
  }
}
