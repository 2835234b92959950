import '@lit-labs/virtualizer';
import type { LitVirtualizer } from '@lit-labs/virtualizer/LitVirtualizer.js';
import { flow } from '@lit-labs/virtualizer/layouts/flow.js';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { ActorRefFrom } from 'xstate';
import type { ChatPerson, chatViewMachine, ChatViewContext, PendingMessage, StreamView, ViewMessage } from '../../machines/chat-view.ts';
import { controls, theme } from '../theme.styles.ts';
import type { LamaDecideEvent } from './chat-events.ts';
import { avatarColour, clockTime, dayLabel, displayName, fullTime, initials } from './chat-format.ts';
import { chatTheme } from './chat-theme.styles.ts';
import { icons } from './icons.ts';
import './lama-approval-card.ts';
import { styles } from './lama-message-list.styles.ts';
import { renderMarkdown, renderMessage } from './markdown.ts';
import { messageRows, type MessageRow } from './message-rows.ts';

type ChatViewActor = ActorRefFrom<typeof chatViewMachine>;

/** What the list draws: the chat view's context and where its history paging is. */
export interface MessageListState {
  readonly context: ChatViewContext;
  readonly history: 'idle' | 'loadingOlder' | 'complete';
}

/** Rows below the stored messages: what is not stored yet. */
type ListRow =
  | { readonly kind: 'top'; readonly key: 'top'; readonly history: MessageListState['history'] }
  | MessageRow
  | { readonly kind: 'pending'; readonly key: string; readonly pending: PendingMessage; readonly first: boolean }
  | { readonly kind: 'stream'; readonly key: string; readonly stream: StreamView };

/** Scrolled to within this of the bottom, the list follows the newest message again. */
const STICK_PX = 24;
/** Older messages are asked for while the top is closer than this. */
const PREFETCH_PX = 1_200;
/** Given, not left to the virtualiser's default: that one is loaded lazily, a frame late. */
const LAYOUT = flow();
/** Keeps the newest row at the bottom while sizes settle; the virtualiser unpins when the user scrolls. */
const pinnedTo = (index: number) => flow({ pin: { index, block: 'end' } });
const ACTIVE: readonly StreamView['phase'][] = ['thinking', 'streaming', 'tools', 'approval'];
const PHASE_LABEL: Record<StreamView['phase'], string> = {
  thinking: 'Thinking…',
  streaming: 'Writing…',
  tools: 'Using tools…',
  approval: 'Waiting for your approval',
  done: '',
  failed: 'Could not finish',
  cancelled: 'Stopped',
};

/**
 * The conversation: stored messages in a virtualised list (only the rows near the viewport exist,
 * so a 10,000-message topic scrolls like a short one), grouped by author with day separators and
 * markdown; below them what is not stored yet — the user's messages being sent (or failed, with
 * Retry and Discard) and the AIs' answers as they are written, with Stop and tool approvals. It
 * stays at the newest message unless the user scrolls up, asks for older pages near the top, and
 * keeps the message in view in place when a page is added above it.
 */
@customElement('lama-message-list')
export class LamaMessageList extends LitElement {
  static override styles = [theme, controls, chatTheme, styles];

  @property({ attribute: false }) actor!: ChatViewActor;
  @property({ attribute: false }) state!: MessageListState;
  /** Following the newest message (the virtualiser is pinned to the last row). */
  @state() private stuck = true;
  /** The virtualiser is the scroller: its own pinning only holds when it is (not inside another). */
  @query('lit-virtualizer') private scroller!: LitVirtualizer<ListRow>;

  #rows: MessageRow[] = [];
  #rowsFor?: { messages: readonly ViewMessage[]; participants: unknown; answering: string };
  #items: ListRow[] = [];
  #layout: ReturnType<typeof flow> = LAYOUT;
  #pinned = -1;
  #people = new Map<string, ChatPerson>();
  /** The message on screen when a page was added above it, and where it was. */
  #anchor?: { key: string; top: number; index: number; tries: number };
  #olderAskedAt = -1;

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('lama-decide', this.#decide);
  }

  override disconnectedCallback(): void {
    this.removeEventListener('lama-decide', this.#decide);
    super.disconnectedCallback();
  }

  /** Scrolls to the newest message and stays there. */
  scrollToLatest(): void {
    this.stuck = true;
    this.#pinned = -1;
    this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('state')) this.#takeRows();
    const { pending, streams } = this.state.context;
    const mine = this.#lastIsMine();
    const tail: ListRow[] = [
      ...pending.map((p, i): ListRow => ({ kind: 'pending', key: p.localId, pending: p, first: i === 0 && !mine })),
      ...Object.values(streams).map((s): ListRow => ({ kind: 'stream', key: `stream-${s.aiPerson}`, stream: s })),
    ];
    this.#items = [{ kind: 'top', key: 'top', history: this.state.history }, ...this.#rows, ...tail];
    const last = this.#items.length - 1;
    if (!this.stuck) this.#layout = LAYOUT;
    else if (last !== this.#pinned) this.#layout = pinnedTo(last);
    this.#pinned = this.stuck ? last : -1;
  }

  #takeRows(): void {
    const { messages, info, streams } = this.state.context;
    const answering = Object.values(streams).filter((s) => ACTIVE.includes(s.phase)).map((s) => s.aiPerson).sort().join(',');
    const previous = this.#rowsFor;
    if (previous?.messages === messages && previous.participants === info?.participants && previous.answering === answering) return;
    this.#people = new Map((info?.participants ?? []).map((p) => [p.id, p]));
    const oldFirst = previous?.messages[0]?.hash;
    const rows = messageRows(messages, this.#people, new Set(answering ? answering.split(',') : []));
    // A page arrived above: remember the message on screen, to put it back where it was.
    if (!this.stuck && oldFirst && messages[0]?.hash !== oldFirst) this.#anchor = this.#captureAnchor(rows);
    this.#rows = rows;
    this.#rowsFor = { messages, participants: info?.participants, answering };
  }

  override render() {
    const name = this.state.context.info?.name ?? '';
    return html`
      <lit-virtualizer
        scroller
        role="log"
        aria-label=${`Messages in ${name}`}
        aria-live="off"
        tabindex="0"
        .layout=${this.#layout}
        .items=${this.#items}
        .renderItem=${this.#renderRow}
        .keyFunction=${rowKey}
        @unpinned=${this.#unpinned}
        @scroll=${this.#scrolled}
        @click=${this.#clicked}
      ></lit-virtualizer>
      ${this.stuck ? nothing : html`<button class="latest small" @click=${() => this.scrollToLatest()} aria-label="Jump to the newest message">${icons.down} Newest</button>`}
      <div class="visually-hidden" role="status" aria-live="polite">${this.#announcement()}</div>
    `;
  }

  protected override updated(): void {
    if (this.#anchor) requestAnimationFrame(() => this.#restoreAnchor());
    this.#askForOlder();
  }

  #renderRow = (row: ListRow) => {
    if (row.kind === 'top') {
      return row.history === 'complete'
        ? this.#intro()
        : html`<div class="older" role="status">${row.history === 'loadingOlder' ? html`<span class="spinner" aria-hidden="true"></span> Loading earlier messages…` : nothing}</div>`;
    }
    if (row.kind === 'pending') return this.#pending(row.pending, row.first);
    if (row.kind === 'stream') return this.#stream(row.stream);
    if (row.kind === 'day') {
      return html`<div class="day" role="separator" aria-label=${dayLabel(row.at)} data-key=${row.key}><span>${dayLabel(row.at)}</span></div>`;
    }
    const { message, author, first } = row;
    const name = displayName(author, message.author);
    if (message.kind === 'system') {
      return html`<div class="row system" role="article" aria-label=${`Notice from ${name}, ${clockTime(message.createdAt)}`} data-key=${row.key}>
        <div class="notice">
          <span class="notice-icon">${icons.warning}</span>
          <div class="notice-text"><strong>${name}</strong> · <time title=${fullTime(message.createdAt)}>${clockTime(message.createdAt)}</time><div>${message.text}</div></div>
          ${row.retry ? html`<button class="small" @click=${() => this.actor.send({ type: 'answer.retry', aiPerson: message.author })}>${icons.retry} Retry</button>` : nothing}
        </div>
      </div>`;
    }
    return html`<div class="row ${first ? 'first' : ''}" role="article" aria-label=${`${name}, ${clockTime(message.createdAt)}`} data-key=${row.key}>
      ${first ? avatar(author, message.author) : html`<time class="gutter-time" aria-hidden="true">${clockTime(message.createdAt)}</time>`}
      <div class="body">
        ${first ? meta(name, author, message.createdAt) : nothing}
        <div class="text markdown">${unsafeHTML(renderMessage(message.text))}</div>
        ${message.attachments?.length
          ? html`<ul class="attachments">${message.attachments.map((a) => html`<li>${a.name} <span>${formatSize(a.size)}</span></li>`)}</ul>`
          : nothing}
        ${message.incomplete ? html`<p class="incomplete">Incomplete — this answer was cut short</p>` : nothing}
      </div>
    </div>`;
  };

  #pending(pending: PendingMessage, first: boolean) {
    const failed = pending.state === 'failed';
    return html`<div class="row pending ${first ? 'first' : ''} ${failed ? 'failed' : ''}" role="article" aria-label=${failed ? 'Your message, not sent' : 'Your message, sending'}>
      ${first ? avatar(this.#me(), '') : html`<span class="gutter-time"></span>`}
      <div class="body">
        ${first ? html`<div class="meta"><span class="name">You</span></div>` : nothing}
        <div class="text markdown">${unsafeHTML(renderMessage(pending.text))}</div>
        ${failed
          ? html`<p class="status error-text">${icons.warning} Not sent: ${pending.error?.message ?? 'unknown error'}
              <button class="small" @click=${() => this.actor.send({ type: 'message.retry', localId: pending.localId })}>Retry</button>
              <button class="small ghost" @click=${() => this.actor.send({ type: 'message.discard', localId: pending.localId })}>Discard</button></p>`
          : html`<p class="status">Sending…</p>`}
      </div>
    </div>`;
  }

  #stream(stream: StreamView) {
    const person = this.#people.get(stream.aiPerson);
    const name = displayName(person, stream.aiPerson);
    const active = ACTIVE.includes(stream.phase);
    const writing = stream.phase === 'streaming';
    return html`<div class="row first stream ${stream.phase}" role="article" aria-label=${`${name} is answering`} aria-busy=${active ? 'true' : 'false'}>
      ${avatar(person, stream.aiPerson)}
      <div class="body">
        <div class="meta">
          <span class="name">${name}</span>${person?.ai ? html`<span class="ai-badge">AI</span>` : nothing}
          <span class="phase">${PHASE_LABEL[stream.phase]}</span>
          ${active
            ? html`<button class="small stop" ?disabled=${stream.stopping} @click=${() => this.actor.send({ type: 'answer.cancel', aiPerson: stream.aiPerson })} aria-label=${`Stop ${name}`}>
                ${icons.stop} ${stream.stopping ? 'Stopping…' : 'Stop'}
              </button>`
            : nothing}
        </div>
        ${stream.text
          ? html`<div class="text markdown ${writing ? 'writing' : ''}">${unsafeHTML(renderMarkdown(stream.text))}</div>`
          : active && stream.phase !== 'approval'
            ? html`<div class="typing" aria-label="${name} is thinking"><span></span><span></span><span></span></div>`
            : nothing}
        ${stream.phase === 'approval' && stream.approval
          ? html`<lama-approval-card .approval=${stream.approval} ai=${name} .decided=${stream.decided}></lama-approval-card>`
          : nothing}
        ${stream.phase === 'failed' && stream.error ? html`<p class="status error-text">${icons.warning} ${stream.error.message}</p>` : nothing}
        ${stream.phase === 'cancelled' ? html`<p class="incomplete">Stopped — saving what was written</p>` : nothing}
      </div>
    </div>`;
  }

  #intro() {
    const { info } = this.state.context;
    const ais = (info?.participants ?? []).filter((p) => p.ai);
    const line =
      ais.length === 1
        ? `${ais[0]!.name} answers every message written here.`
        : ais.length > 1
          ? `Mention an AI by name — ${ais.map((a) => `@${a.name}`).join(', ')} — to ask it.`
          : 'Messages are end-to-end encrypted and stay on your devices.';
    return html`<div class="intro">
      <h2>This is the beginning of <strong>${info?.name ?? 'this chat'}</strong></h2>
      <p>${line}</p>
    </div>`;
  }

  #me(): ChatPerson | undefined {
    return [...this.#people.values()].find((p) => p.self);
  }

  #lastIsMine(): boolean {
    const last = this.state.context.messages.at(-1);
    return last !== undefined && last.kind !== 'system' && this.#people.get(last.author)?.self === true && Object.keys(this.state.context.streams).length === 0;
  }

  /** Words for screen readers when others write: the newest arrival, not every re-render. */
  #announcement(): string {
    const last = this.state.context.messages.at(-1);
    if (!last || this.#people.get(last.author)?.self) return '';
    return `${displayName(this.#people.get(last.author), last.author)}: ${last.text.slice(0, 200)}`;
  }

  #scrolled = (): void => {
    if (!this.stuck && this.#atBottom()) this.scrollToLatest();
    this.#askForOlder();
  };

  /**
   * The virtualiser saw a scroll it did not make: the user's — or the browser's, when a row above
   * the bottom shrank (an approval card answered). Only a scroll away from the bottom lets go.
   */
  #unpinned = (): void => {
    if (this.#atBottom()) return this.scrollToLatest();
    this.stuck = false;
  };

  #atBottom(): boolean {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < STICK_PX;
  }

  #askForOlder(): void {
    const s = this.scroller;
    if (!s || this.state.history !== 'idle' || this.#anchor) return;
    const count = this.state.context.messages.length;
    if (count === 0 || this.#olderAskedAt === count) return;
    if (s.scrollTop < PREFETCH_PX || s.scrollHeight <= s.clientHeight + PREFETCH_PX) {
      this.#olderAskedAt = count;
      this.actor.send({ type: 'history.older' });
    }
  }

  #captureAnchor(rows: readonly ListRow[]): { key: string; top: number; index: number; tries: number } | undefined {
    const top = this.scroller.getBoundingClientRect().top;
    const children = [...this.scroller.children] as HTMLElement[];
    const visible = children
      .map((el) => ({ el, rect: el.getBoundingClientRect() }))
      .filter(({ rect }) => rect.bottom > top)
      .sort((a, b) => a.rect.top - b.rect.top)[0];
    const key = visible?.el.dataset.key;
    if (!key) return undefined;
    // Its index among the new items: the top row comes first.
    return { key, top: visible.rect.top - top, index: 1 + rows.findIndex((r) => r.key === key), tries: 0 };
  }

  /** Puts the anchored message back where it was; the virtualiser may need a frame or two to lay it out. */
  #restoreAnchor(): void {
    const anchor = this.#anchor;
    if (!anchor) return;
    const el = this.scroller.querySelector<HTMLElement>(`[data-key="${CSS.escape(anchor.key)}"]`);
    if (el) {
      const delta = el.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top - anchor.top;
      this.scroller.scrollTop += delta;
      if (Math.abs(delta) < 1 || ++anchor.tries > 4) return void (this.#anchor = undefined);
    } else {
      if (++anchor.tries > 4) return void (this.#anchor = undefined);
      this.scroller.element(anchor.index)?.scrollIntoView({ block: 'start' });
    }
    requestAnimationFrame(() => this.#restoreAnchor());
  }

  #clicked = (event: Event): void => {
    const copy = (event.target as Element).closest?.('[data-copy]');
    if (!copy) return;
    const code = copy.closest('.code')?.querySelector('code')?.textContent ?? '';
    void navigator.clipboard?.writeText(code).then(
      () => {
        copy.textContent = 'Copied';
        setTimeout(() => (copy.textContent = 'Copy'), 1_500);
      },
      () => (copy.textContent = 'Copy failed'),
    );
  };

  #decide = (event: LamaDecideEvent): void => {
    const stream = Object.values(this.state.context.streams).find((s) => s.approval?.call.id === event.detail.callId);
    if (stream) this.actor.send({ type: 'tool.decide', aiPerson: stream.aiPerson, callId: event.detail.callId, choice: event.detail.choice });
  };
}

function rowKey(row: ListRow): string {
  return row.key;
}

function avatar(person: ChatPerson | undefined, id: string) {
  const name = person?.name ?? '?';
  return html`<span class="avatar ${person?.ai ? 'ai' : ''}" style="--avatar: ${avatarColour(person?.id ?? id)}" aria-hidden="true">${person?.ai ? icons.sparkle : initials(name)}</span>`;
}

function meta(name: string, person: ChatPerson | undefined, at: number) {
  return html`<div class="meta">
    <span class="name">${name}</span>${person?.ai ? html`<span class="ai-badge">AI</span>` : nothing}
    <time title=${fullTime(at)}>${clockTime(at)}</time>
  </div>`;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-message-list': LamaMessageList;
  }
}
