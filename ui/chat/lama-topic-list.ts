import { html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ActorRefFrom, SnapshotFrom } from 'xstate';
import { unreadCount, type topicListMachine, type TopicListContext, type TopicSummary } from '../../machines/topic-list.ts';
import { ActorSelect } from '../controllers/actor-select.ts';
import { controls, theme } from '../theme.styles.ts';
import type { LamaCreateTopicEvent } from './chat-events.ts';
import { avatarColour, initials, listTime, plainPreview } from './chat-format.ts';
import { chatTheme } from './chat-theme.styles.ts';
import { icons } from './icons.ts';
import './lama-new-chat.ts';
import type { LamaNewChat } from './lama-new-chat.ts';
import { styles } from './lama-topic-list.styles.ts';

export type TopicListActor = ActorRefFrom<typeof topicListMachine>;

interface ListView {
  readonly context: TopicListContext;
  readonly phase: 'loading' | 'failed' | 'ready';
  readonly creating: boolean;
}

function viewOf(snapshot: SnapshotFrom<TopicListActor>): ListView {
  return {
    context: snapshot.context,
    phase: snapshot.matches('ready') ? 'ready' : snapshot.matches('failed') ? 'failed' : 'loading',
    creating: snapshot.matches({ ready: { create: 'creating' } }),
  };
}

/**
 * The user's chats, newest activity first: name, an AI badge where an AI takes part, the newest
 * message and when, and how many messages are unread. A listbox: arrow keys, Home and End move,
 * Enter or Space opens; typing in the search field filters. "New chat" picks AI models and people.
 */
@customElement('lama-topic-list')
export class LamaTopicList extends LitElement {
  static override styles = [theme, controls, chatTheme, styles];

  @property({ attribute: false }) actor!: TopicListActor;
  @state() private filter = '';
  /** The option that holds the keyboard focus (roving tabindex). */
  @state() private active?: string;
  @query('lama-new-chat') private newChat!: LamaNewChat;

  #view = new ActorSelect(this, () => this.actor, viewOf, (a, b) => a.context === b.context && a.phase === b.phase && a.creating === b.creating);
  #wasCreating = false;

  /** Opens the new chat dialog. */
  startChat(): void {
    void this.newChat.show();
  }

  override render() {
    const { context, phase, creating } = this.#view.value;
    const topics = this.#shown();
    const focusable = topics.some((t) => t.id === this.active) ? this.active : (topics.find((t) => t.id === context.selected) ?? topics[0])?.id;
    return html`
      <header>
        <h1>Chats</h1>
        <button class="ghost new" aria-label="New chat" title="New chat" @click=${() => this.startChat()}>${icons.plus}</button>
      </header>
      <label class="search">
        ${icons.search}
        <input type="search" placeholder="Search chats" aria-label="Search chats" .value=${this.filter} @input=${(e: InputEvent) => (this.filter = (e.target as HTMLInputElement).value)} @keydown=${this.#searchKeys} />
      </label>
      ${phase === 'loading'
        ? html`<div class="skeletons" role="status" aria-label="Loading chats">${[0, 1, 2, 3].map(() => html`<div class="skeleton-row"><span></span><span></span></div>`)}</div>`
        : phase === 'failed'
          ? html`<div class="empty" role="alert">
              <p>Your chats could not be read.<br /><small>${context.error?.message}</small></p>
              <button @click=${() => this.actor.send({ type: 'topics.reload' })}>${icons.retry} Try again</button>
            </div>`
          : context.topics.length === 0
            ? html`<div class="empty">
                <p class="big">${icons.chat}</p>
                <p>No chats yet.<br />Start one with an AI model or a person.</p>
                <button class="primary" @click=${() => this.startChat()}>${icons.plus} New chat</button>
              </div>`
            : topics.length === 0
              ? html`<p class="empty">No chat matches “${this.filter}”.</p>`
              : html`<ul role="listbox" aria-label="Chats" @keydown=${this.#keys}>
                  ${topics.map((t) => this.#option(t, context, t.id === focusable))}
                </ul>`}
      <lama-new-chat .contacts=${context.contacts} ?busy=${creating} .error=${context.createError} @lama-create-topic=${this.#create}></lama-new-chat>
    `;
  }

  protected override updated(): void {
    const { creating, context } = this.#view.value;
    // The topic was made: it is selected now, and the dialog's work is done.
    if (this.#wasCreating && !creating && !context.createError) this.newChat.close();
    this.#wasCreating = creating;
  }

  #option(topic: TopicSummary, context: TopicListContext, focusable: boolean) {
    const unread = unreadCount(context, topic);
    const selected = topic.id === context.selected;
    const others = topic.participants.filter((p) => !p.self);
    const ai = others.some((p) => p.ai);
    const face = others.length === 1 ? others[0]! : undefined;
    const preview = this.#preview(topic);
    return html`<li
      id=${`topic-${topic.id}`}
      role="option"
      aria-selected=${selected ? 'true' : 'false'}
      tabindex=${focusable ? 0 : -1}
      class=${`${selected ? 'selected' : ''} ${unread ? 'unread' : ''}`}
      aria-label=${`${topic.name}${ai ? ', with AI' : ''}${unread ? `, ${unread} unread` : ''}${preview ? `. ${preview}` : ''}`}
      @click=${() => this.#open(topic.id)}
      @focus=${() => (this.active = topic.id)}
    >
      <span class="avatar ${face?.ai || (!face && ai && others.every((p) => p.ai)) ? 'ai' : ''}" style="--avatar: ${avatarColour(face?.id ?? topic.id)}" aria-hidden="true">
        ${face?.ai ? icons.sparkle : initials(face?.name ?? topic.name)}
      </span>
      <span class="main">
        <span class="line">
          <span class="name">${topic.name}</span>
          ${ai ? html`<span class="ai-badge" title="An AI model takes part">AI</span>` : nothing}
          <time>${topic.last ? listTime(topic.last.at) : listTime(topic.lastActivity)}</time>
        </span>
        <span class="line">
          <span class="preview ${topic.last?.kind === 'system' ? 'system' : ''}">${preview || html`<em>No messages yet</em>`}</span>
          ${unread ? html`<span class="count" aria-hidden="true">${unread > 99 ? '99+' : unread}</span>` : nothing}
        </span>
      </span>
    </li>`;
  }

  #preview(topic: TopicSummary): string {
    const last = topic.last;
    if (!last) return '';
    const author = topic.participants.find((p) => p.id === last.author);
    const text = plainPreview(last.text);
    if (last.kind === 'system') return `⚠ ${text}`;
    if (author?.self) return `You: ${text}`;
    // In a group, say who; with one other person it is clear.
    return topic.participants.filter((p) => !p.self).length > 1 && author ? `${author.name}: ${text}` : text;
  }

  #shown(): readonly TopicSummary[] {
    const needle = this.filter.trim().toLowerCase();
    const { topics } = this.#view.value.context;
    return needle ? topics.filter((t) => t.name.toLowerCase().includes(needle) || t.participants.some((p) => !p.self && p.name.toLowerCase().includes(needle))) : topics;
  }

  #open(topic: string): void {
    this.active = topic;
    this.actor.send({ type: 'topic.select', topic });
  }

  #keys = (event: KeyboardEvent): void => {
    const topics = this.#shown();
    const at = topics.findIndex((t) => t.id === (event.target as HTMLElement).id.replace(/^topic-/, ''));
    if (at < 0) return;
    const go = (index: number) => {
      event.preventDefault();
      const next = topics[Math.max(0, Math.min(topics.length - 1, index))]!;
      this.active = next.id;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#topic-${CSS.escape(next.id)}`)?.focus());
    };
    switch (event.key) {
      case 'ArrowDown':
        return go(at + 1);
      case 'ArrowUp':
        return go(at - 1);
      case 'Home':
        return go(0);
      case 'End':
        return go(topics.length - 1);
      case 'Enter':
      case ' ':
        event.preventDefault();
        return this.#open(topics[at]!.id);
    }
  };

  /** Down from the search field goes into the list. */
  #searchKeys = (event: KeyboardEvent): void => {
    if (event.key !== 'ArrowDown') return;
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('[role="option"][tabindex="0"]')?.focus();
  };

  #create = (event: LamaCreateTopicEvent): void => {
    this.actor.send({ type: 'topic.create', name: event.detail.name, participants: event.detail.participants });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-topic-list': LamaTopicList;
  }
}
