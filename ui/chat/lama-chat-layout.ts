import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { createActor, type Subscription } from 'xstate';
import { ChatPeople } from '../../actors/browser/chat-people.ts';
import { chatViewEffects } from '../../actors/browser/chat-view-effects.ts';
import { topicListEffects } from '../../actors/browser/topic-list-effects.ts';
import { memoryReadMarkers, storageReadMarkers, type ReadMarkers } from '../../actors/browser/topic-read-markers.ts';
import { chatViewMachine } from '../../machines/chat-view.ts';
import { topicListMachine } from '../../machines/topic-list.ts';
import type { RendererServices } from '../services.ts';
import { controls, theme } from '../theme.styles.ts';
import { chatTheme } from './chat-theme.styles.ts';
import { icons } from './icons.ts';
import { styles } from './lama-chat-layout.styles.ts';
import './lama-chat-view.ts';
import type { ChatViewActor } from './lama-chat-view.ts';
import './lama-topic-list.ts';
import type { LamaTopicList, TopicListActor } from './lama-topic-list.ts';

/** Narrower than this, the list and the open chat take turns instead of sitting side by side. */
export const NARROW_PX = 760;

/**
 * The chat screen: the topic list beside the open topic (one at a time on narrow windows, with a
 * way back). Its input is `services` (and, optionally, a `topic` to open); from the browser
 * instance in `services`, it runs the two status
 * actors — the topic list (machines/topic-list.ts) for as long as it is shown, and a chat view
 * (machines/chat-view.ts) per open topic — with their effects from actors/browser/, and hands
 * them to the components. It reads no store and opens no socket itself.
 */
@customElement('lama-chat-layout')
export class LamaChatLayout extends LitElement {
  static override styles = [theme, controls, chatTheme, styles];

  @property({ attribute: false }) services?: RendererServices;
  /** A topic to open (one the shell just started elsewhere); each new value opens it once. */
  @property({ attribute: false }) topic?: string;
  @state() private narrow = false;
  @state() private topics?: TopicListActor;
  @state() private open?: { topic: string; actor: ChatViewActor };
  @query('lama-topic-list') private list?: LamaTopicList;

  #people?: ChatPeople;
  #selection?: Subscription;
  /** The services the running actors were made from. */
  #startedWith?: RendererServices;
  #resize = new ResizeObserver(([entry]) => {
    const narrow = (entry?.contentRect.width ?? Infinity) < NARROW_PX;
    if (narrow !== this.narrow) this.narrow = narrow;
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.#resize.observe(this);
    this.addEventListener('keydown', this.#shortcuts);
    if (this.services !== this.#startedWith) this.#start();
  }

  override disconnectedCallback(): void {
    this.#resize.disconnect();
    this.removeEventListener('keydown', this.#shortcuts);
    this.#stop();
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.isConnected && this.services !== this.#startedWith) this.#start();
    else if (changed.has('topic') && this.topic) this.topics?.send({ type: 'topic.select', topic: this.topic });
  }

  override render() {
    if (!this.topics) {
      return html`<div class="locked empty" role="status">${icons.chat}<p>Unlock LAMA to see your chats.</p></div>`;
    }
    const open = this.open;
    return html`
      <div class="layout ${this.narrow ? 'narrow' : ''} ${open ? 'open' : ''}">
        <nav class="list" aria-label="Chats">
          <lama-topic-list .actor=${this.topics}></lama-topic-list>
        </nav>
        <main class="chat">
          ${open
            ? keyed(open.topic, html`<lama-chat-view .actor=${open.actor} ?narrow=${this.narrow} @lama-back=${() => this.topics?.send({ type: 'topic.close' })}></lama-chat-view>`)
            : this.narrow
              ? nothing
              : html`<div class="empty welcome">
                  <span class="mark">${icons.chat}</span>
                  <h2>Your conversations</h2>
                  <p>Pick a chat on the left, or start one with an AI model or a person. Everything stays on your devices, end-to-end encrypted.</p>
                  <button class="primary" @click=${() => this.list?.startChat()}>${icons.plus} New chat</button>
                </div>`}
        </main>
      </div>
    `;
  }

  #start(): void {
    this.#stop();
    const services = (this.#startedWith = this.services);
    const instance = services?.instance;
    if (!services || !instance?.chat) return;
    this.#people = new ChatPeople(instance);
    const markers = readMarkersFor(instance.chat.me);
    const topics = createActor(topicListMachine.provide(topicListEffects(instance, markers, this.#people)), {
      input: { read: markers.load() },
      inspect: services.collector.inspect,
    }).start();
    this.topics = topics;
    this.#selection = topics.subscribe((snapshot) => {
      const selected = snapshot.context.selected;
      if (selected !== this.open?.topic) this.#openTopic(selected);
    });
    if (this.topic) topics.send({ type: 'topic.select', topic: this.topic });
  }

  #openTopic(topic: string | undefined): void {
    this.open?.actor.stop();
    const services = this.services!;
    this.open = topic
      ? {
          topic,
          actor: createActor(chatViewMachine.provide({ actors: chatViewEffects(services.instance, services, this.#people) }), {
            input: { topic },
            inspect: services.collector.inspect,
          }).start(),
        }
      : undefined;
  }

  #stop(): void {
    this.#selection?.unsubscribe();
    this.open?.actor.stop();
    this.topics?.stop();
    this.#selection = undefined;
    this.#startedWith = undefined;
    this.open = undefined;
    this.topics = undefined;
  }

  /** Alt+↑ / Alt+↓ open the chat above or below, wherever the focus is. */
  #shortcuts = (event: KeyboardEvent): void => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') || !this.topics) return;
    const { topics, selected } = this.topics.getSnapshot().context;
    const at = topics.findIndex((t) => t.id === selected);
    const next = topics[at < 0 ? 0 : Math.max(0, Math.min(topics.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (!next) return;
    event.preventDefault();
    this.topics.send({ type: 'topic.select', topic: next.id });
  };
}

/** Read markers in this browser's localStorage (per user); in memory where storage is refused. */
function readMarkersFor(person: string): ReadMarkers {
  try {
    return storageReadMarkers(globalThis.localStorage, person);
  } catch {
    return memoryReadMarkers();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-chat-layout': LamaChatLayout;
  }
}
