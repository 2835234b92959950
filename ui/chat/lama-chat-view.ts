import { html, LitElement, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { ActorRefFrom, SnapshotFrom } from 'xstate';
import type { ChatFailure, chatViewMachine, ChatViewContext } from '../../machines/chat-view.ts';
import { controls, theme } from '../theme.styles.ts';
import { LamaBackEvent, type LamaSendEvent } from './chat-events.ts';
import { avatarColour, initials, peopleLine } from './chat-format.ts';
import { chatTheme } from './chat-theme.styles.ts';
import { FrameSelect } from './frame-select.ts';
import { icons } from './icons.ts';
import { styles } from './lama-chat-view.styles.ts';
import './lama-composer.ts';
import type { LamaComposer } from './lama-composer.ts';
import './lama-message-list.ts';
import type { LamaMessageList, MessageListState } from './lama-message-list.ts';

export type ChatViewActor = ActorRefFrom<typeof chatViewMachine>;

interface ViewState extends MessageListState {
  readonly phase: 'loading' | 'failed' | 'ready';
}

/** Friendlier words for the codes the view's commands and pages fail with. */
const NOTICES: Record<string, string> = {
  NOT_READY: 'The AI is not running on your LAMA archive right now.',
  DISCONNECTED: 'Not connected to LAMA right now — try again when it is back.',
  NO_TOPIC: 'This chat has not reached this device yet.',
  LOCKED: 'Unlock LAMA to read this chat.',
};

function viewOf(snapshot: SnapshotFrom<ChatViewActor>): ViewState {
  const phase = snapshot.matches('ready') ? 'ready' : snapshot.matches('failed') ? 'failed' : 'loading';
  const history = snapshot.matches({ ready: { history: 'loadingOlder' } }) ? 'loadingOlder' : snapshot.matches({ ready: { history: 'complete' } }) ? 'complete' : 'idle';
  return { phase, history, context: snapshot.context as ChatViewContext };
}

const sameView = (a: ViewState, b: ViewState) => a.context === b.context && a.phase === b.phase && a.history === b.history;

/**
 * One open topic: its header (name, who takes part, the link's state), the conversation and the
 * composer. It renders the chat view actor's snapshot (machines/chat-view.ts) at most once per
 * animation frame — an AI's answer streams in as many small updates — and turns the user's
 * actions into the actor's events.
 */
@customElement('lama-chat-view')
export class LamaChatView extends LitElement {
  static override styles = [theme, controls, chatTheme, styles];

  @property({ attribute: false }) actor?: ChatViewActor;
  /** In the narrow layout the header offers a way back to the list (also Escape). */
  @property({ type: Boolean, reflect: true }) narrow = false;
  @query('lama-composer') private composer?: LamaComposer;
  @query('lama-message-list') private list?: LamaMessageList;

  #view = new FrameSelect(this, () => this.actor, viewOf, sameView);
  #focused?: ChatViewActor;

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('lama-send', this.#send);
    this.addEventListener('keydown', this.#keydown);
  }

  override disconnectedCallback(): void {
    this.removeEventListener('lama-send', this.#send);
    this.removeEventListener('keydown', this.#keydown);
    super.disconnectedCallback();
  }

  override render() {
    if (!this.actor) return nothing;
    const view = this.#view.value;
    const { info, notice, online, error } = view.context;
    const name = info?.name ?? '';
    return html`
      <header>
        ${this.narrow ? html`<button class="ghost back" aria-label="Back to chats" @click=${() => this.dispatchEvent(new LamaBackEvent())}>${icons.back}</button>` : nothing}
        ${info ? this.#avatars(view.context) : html`<span class="skeleton avatar-skeleton"></span>`}
        <div class="title">
          <h2>${name || html`<span class="skeleton line"></span>`}</h2>
          <p class="people">${info ? peopleLine(info.participants) : ''}</p>
        </div>
        ${online ? nothing : html`<span class="badge warn" role="status" title="The link to your LAMA archive is down; your messages are kept here and sync when it is back">Offline</span>`}
      </header>
      ${notice
        ? html`<div class="notice-bar" role="alert">
            ${icons.warning}<span>${wordsFor(notice)}</span>
            <button class="ghost small" aria-label="Dismiss" @click=${() => this.actor!.send({ type: 'notice.dismiss' })}>${icons.close}</button>
          </div>`
        : nothing}
      ${view.phase === 'ready'
        ? html`<lama-message-list .actor=${this.actor} .state=${view}></lama-message-list>`
        : view.phase === 'failed'
          ? html`<div class="empty failed" role="alert">
              <p>${error ? wordsFor(error) : 'This chat could not be opened.'}</p>
              <button class="primary" @click=${() => this.actor!.send({ type: 'topic.reload' })}>${icons.retry} Try again</button>
            </div>`
          : html`<div class="empty loading" role="status"><span class="spinner" aria-hidden="true"></span> Opening the chat…</div>`}
      <lama-composer
        ?disabled=${view.phase !== 'ready'}
        label=${name ? `Message ${name}` : 'Message'}
        placeholder=${name ? `Message ${name}` : 'Write a message'}
        hint=${online ? '' : 'Offline — your messages are kept on this device and sync when the link is back.'}
      ></lama-composer>
    `;
  }

  protected override updated(): void {
    // A topic just opened: the cursor goes where the user will type.
    if (this.actor && this.#view.value?.phase === 'ready' && this.#focused !== this.actor) {
      this.#focused = this.actor;
      void this.composer?.updateComplete.then(() => this.composer?.focus());
    }
  }

  #avatars(context: ChatViewContext) {
    const others = (context.info?.participants ?? []).filter((p) => !p.self).slice(0, 3);
    return html`<span class="avatars" aria-hidden="true">
      ${others.map(
        (p) => html`<span class="avatar ${p.ai ? 'ai' : ''}" style="--avatar: ${avatarColour(p.id)}">${p.ai ? icons.sparkle : initials(p.name)}</span>`,
      )}
    </span>`;
  }

  #send = (event: LamaSendEvent): void => {
    this.actor?.send({ type: 'message.send', text: event.detail.text });
    this.list?.scrollToLatest();
  };

  #keydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.narrow && !event.defaultPrevented) this.dispatchEvent(new LamaBackEvent());
  };
}

function wordsFor(failure: ChatFailure): string {
  return NOTICES[failure.code] ?? failure.message;
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-chat-view': LamaChatView;
  }
}
