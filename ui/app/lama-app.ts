import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { cache } from 'lit/directives/cache.js';
import type { ActorRefFrom, SnapshotFrom } from 'xstate';
import type { browserSessionMachine } from '../../machines/browser-session.ts';
import type { hostLinkMachine } from '../../machines/host-link.ts';
import type { statusFeedMachine } from '../../machines/status-feed.ts';
import { startChat } from '../contacts/contact-directory.ts';
import '../contacts/lama-contacts.ts';
import { ActorSelect } from '../controllers/actor-select.ts';
import '../dashboard/lama-dashboard.ts';
import '../devices/lama-devices.ts';
import type { LamaProvisionEvent } from '../events.ts';
import '../onboarding/lama-onboarding.ts';
import '../onboarding/lama-provider-setup.ts';
import type { RendererServices } from '../services.ts';
import '../settings/lama-settings.ts';
import { controls, theme } from '../theme.styles.ts';
import { VIEWS, type LamaNavigateEvent, type LamaSetupDoneEvent, type ViewName } from './app-events.ts';
import { logo } from './icons.ts';
import type { FederationState, HostLinkState, SyncState } from './lama-connection-status.ts';
import './lama-connection-status.ts';
import './lama-nav-rail.ts';
import { VIEW_LABELS } from './lama-nav-rail.ts';
import { styles } from './lama-app.styles.ts';

// The chat and the inspector (markdown, the list virtualiser, the statechart layout) are the
// heaviest views: they load beside the first screen instead of before it (bench ui: tti_ms).
for (const view of [import('../chat/lama-chat-layout.ts'), import('../inspector/lama-inspector.ts')]) {
  view.catch((error: unknown) => console.error('LAMA could not load a view:', error));
}

type HostLink = ActorRefFrom<typeof hostLinkMachine>;
type BrowserSession = ActorRefFrom<typeof browserSessionMachine>;
type StatusFeed = ActorRefFrom<typeof statusFeedMachine>;

interface LinkView {
  link: HostLinkState;
  linkMessage?: string;
  busy: boolean;
  snapshot: SnapshotFrom<HostLink>;
}

/** How long the first chat waits for the chosen provider's AI contact to arrive by CHUM. */
export const FIRST_CHAT_WAIT_MS = 30_000;
const FIRST_CHAT_POLL_MS = 500;

/**
 * The renderer's root. Until the Node user and this browser's own user are unlocked it shows
 * onboarding (a new user then chooses a first AI); after that the app frame: the navigation rail
 * with the connection indicator, and the current view. Reads the host link, the browser session
 * and the status feed; the views get the renderer services.
 */
@customElement('lama-app')
export class LamaApp extends LitElement {
  static override styles = [theme, controls, styles];

  @property({ attribute: false }) link!: HostLink;
  /** The browser instance's own session: its user and its federation with the Node. */
  @property({ attribute: false }) session!: BrowserSession;
  /** The browser instance, orchestration calls, status pushes and the browser's inspection feed. */
  @property({ attribute: false }) services?: RendererServices;
  /** The host's status pushes a view may open after they came (sync progress, connections). */
  @property({ attribute: false }) feed?: StatusFeed;

  @state() private view: ViewName = 'chats';
  /** The topic Chats should open (set by Contacts or the first chat). */
  @state() private topic?: string;
  /** A user was just created: onboarding's AI step comes before the app. */
  @state() private setupPending = false;

  #link = new ActorSelect(
    this,
    () => this.link,
    (snapshot): LinkView => ({
      link: snapshot.matches('connected') ? 'connected' : snapshot.matches('backingOff') ? 'down' : 'connecting',
      linkMessage: snapshot.context.linkError?.message,
      busy: snapshot.matches({ connected: 'provisioning' }),
      snapshot,
    }),
    (a, b) => a.snapshot.context === b.snapshot.context && a.link === b.link && a.busy === b.busy,
  );

  #federation = new ActorSelect(
    this,
    () => this.session,
    (snapshot) => ({ state: snapshot.value as string, linkUp: snapshot.context.linkUp, error: snapshot.context.error, user: snapshot.context.user }),
    (a, b) => a.state === b.state && a.linkUp === b.linkUp && a.error === b.error && a.user === b.user,
  );

  /** The progress of this browser's own connection, as the Node reports it. */
  #sync = new ActorSelect(
    this,
    () => this.feed ?? (nullFeed as unknown as StatusFeed),
    (snapshot) => snapshot.context.peers[this.#federation.value?.user?.instanceId ?? ''],
  );

  /** This browser's own user still needs the passphrase (a new browser, or after a reload). */
  #locked(): boolean {
    return ['opening', 'new', 'locked', 'creating', 'unlocking'].includes(this.#federation.value.state);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('lama-provision', this.#provision);
    this.addEventListener('lama-navigate', this.#navigate);
    this.addEventListener('lama-setup-done', this.#setupDone);
    this.addEventListener('keydown', this.#shortcut);
  }

  override disconnectedCallback(): void {
    this.removeEventListener('lama-provision', this.#provision);
    this.removeEventListener('lama-navigate', this.#navigate);
    this.removeEventListener('lama-setup-done', this.#setupDone);
    this.removeEventListener('keydown', this.#shortcut);
    super.disconnectedCallback();
  }

  override render() {
    const { link, linkMessage, busy, snapshot } = this.#link.value;
    const { user, app, provisionError } = snapshot.context;
    const federation = this.#federation.value;
    if (user && !this.#locked()) return this.#shell(user, link, linkMessage);
    if (link === 'connected' && app) {
      return html`<div class="centered">
        <lama-onboarding
          .mode=${app.provisioning === 'awaitingUser' ? 'create' : 'unlock'}
          ?busy=${busy || federation.state === 'unlocking' || federation.state === 'creating'}
          .error=${provisionError ?? federation.error}
        ></lama-onboarding>
      </div>`;
    }
    return html`<div class="splash" role="status">
      ${logo(48)}
      <p>${link === 'down' ? 'Reconnecting to LAMA…' : 'Connecting to LAMA…'}</p>
      ${link === 'down' && linkMessage ? html`<p class="secondary">${linkMessage}</p>` : nothing}
    </div>`;
  }

  #banner(link: HostLinkState, message: string | undefined) {
    if (link === 'connected') return nothing;
    return html`<div class="banner ${link}" role="status">${link === 'down' ? `Lost the connection to LAMA; reconnecting… ${message ?? ''}` : 'Connecting to LAMA…'}</div>`;
  }

  #shell(user: { name: string; personId: string; instanceId: string }, link: HostLinkState, linkMessage: string | undefined) {
    const federation = this.#federation.value;
    const federationState: FederationState = federation.linkUp ? 'up' : federation.state === 'failed' ? 'failed' : 'linking';
    const progress = this.#sync.value;
    const sync: SyncState | undefined = progress ? { done: progress.objectsDone, total: progress.objectsTotal } : undefined;
    return html`
      <a class="skip" href="#main" @click=${this.#skip}>Skip to content</a>
      <div class="frame">
        <lama-nav-rail .current=${this.view}>
          <div slot="status" class="rail-foot">
            <lama-connection-status
              .host=${link}
              .federation=${federationState}
              federationLabel=${describeFederation(federation.state, federation.linkUp)}
              .sync=${sync}
              detail=${link === 'down' ? (linkMessage ?? '') : (federation.error?.message ?? '')}
            ></lama-connection-status>
            <div class="me" title=${user.personId}><span class="avatar" aria-hidden="true">${initial(user.name)}</span><span class="name">${user.name}</span></div>
          </div>
        </lama-nav-rail>
        <main id="main" tabindex="-1" aria-label=${VIEW_LABELS[this.view]}>
          ${this.#banner(link, linkMessage)}
          <div class="view-host">${cache(this.#content(user, link, federationState, sync))}</div>
        </main>
      </div>
      ${this.setupPending
        ? html`<dialog class="setup" aria-label="Choose your first AI" @cancel=${this.#skipSetup}>
            <lama-provider-setup .services=${this.services}></lama-provider-setup>
          </dialog>`
        : nothing}
    `;
  }

  #content(user: { name: string; personId: string; instanceId: string }, link: HostLinkState, federation: FederationState, sync: SyncState | undefined) {
    switch (this.view) {
      case 'contacts':
        return html`<lama-contacts .services=${this.services}></lama-contacts>`;
      case 'devices':
        return html`<lama-devices .services=${this.services} .node=${user} .browser=${this.#federation.value.user} .host=${link} .federation=${federation} .sync=${sync}></lama-devices>`;
      case 'settings':
        return html`<lama-settings .services=${this.services}></lama-settings>`;
      case 'data':
        return html`<lama-dashboard .services=${this.services} .feed=${this.feed} browserInstance=${this.#federation.value.user?.instanceId ?? ''}></lama-dashboard>`;
      case 'inspector':
        return html`<lama-inspector .services=${this.services}></lama-inspector>`;
      default:
        // `topic`: the chat Contacts or the first-AI step started, for the layout to open.
        return html`<lama-chat-layout .services=${this.services} .topic=${this.topic}></lama-chat-layout>`;
    }
  }

  override updated(): void {
    document.title = this.renderRoot.querySelector('lama-nav-rail') ? `${VIEW_LABELS[this.view]} · LAMA` : 'LAMA';
    // Modal: the app behind is inert until the first AI is chosen or the step skipped (Escape skips).
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>('dialog.setup');
    if (dialog && !dialog.open) dialog.showModal();
  }

  #skipSetup = (event: Event): void => {
    event.preventDefault();
    this.setupPending = false;
  };

  async #show(view: ViewName, topic?: string): Promise<void> {
    this.view = view;
    if (!topic) return;
    // The layout opens each new value once: the same topic asked for again (the user went elsewhere
    // meanwhile) goes through undefined so that it counts as new.
    if (topic === this.topic) {
      this.topic = undefined;
      await this.updateComplete;
    }
    this.topic = topic;
  }

  #skip = (event: Event): void => {
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  };

  #navigate = (event: LamaNavigateEvent): void => {
    event.stopPropagation();
    void this.#show(event.detail.view, event.detail.topic);
  };

  /** Alt+1…6 open the views in the rail's order. */
  #shortcut = (event: KeyboardEvent): void => {
    if (!event.altKey || event.ctrlKey || event.metaKey || !/^Digit[1-6]$/.test(event.code)) return;
    const view = VIEWS[Number(event.code.slice(5)) - 1];
    if (!view || this.setupPending || this.#locked()) return;
    event.preventDefault();
    void this.#show(view);
  };

  #provision = (event: LamaProvisionEvent): void => {
    const { name, passphrase } = event.detail;
    // A new user chooses a first AI before the app opens.
    if (this.#link.value.snapshot.context.app?.provisioning === 'awaitingUser') this.setupPending = true;
    // The one passphrase opens both users: the Node instance's (over IPC) and this browser's own.
    this.link.send({ type: 'provision.submit', name: name || 'LAMA user', passphrase });
    this.session.send({ type: 'user.unlock', name: name || 'LAMA browser', passphrase });
  };

  #setupDone = (event: LamaSetupDoneEvent): void => {
    event.stopPropagation();
    this.setupPending = false;
    void this.#show('chats');
    if (event.detail.provider) void this.#firstChat(event.detail.provider);
  };

  /** Opens a chat with the chosen provider's first AI contact once it has synced here, unless the user moved on. */
  async #firstChat(provider: string): Promise<void> {
    const instance = this.services?.instance;
    if (!instance) return;
    const deadline = Date.now() + FIRST_CHAT_WAIT_MS;
    while (Date.now() < deadline && this.view === 'chats' && this.topic === undefined) {
      const contact = instance.nodePerson ? (await instance.aiContacts()).find((c) => c.llm.provider === provider) : undefined;
      if (contact) {
        const topic = await startChat(instance, [{ personId: contact.personId, name: contact.llm.name }]).catch(() => undefined);
        if (topic && this.view === 'chats' && this.topic === undefined) this.topic = topic;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, FIRST_CHAT_POLL_MS));
    }
  }
}

/** Stands in for the status feed before the host hands one over (tests, early boot). */
const nullFeed = {
  getSnapshot: () => ({ context: { peers: {} } }),
  subscribe: () => ({ unsubscribe: () => undefined }),
};

function initial(name: string): string {
  return (name.trim()[0] ?? '?').toUpperCase();
}

/** The browser session's state in words. */
export function describeFederation(state: string, linkUp: boolean): string {
  switch (state) {
    case 'federating':
      return linkUp ? 'Linked to the Node instance' : 'Connecting to the Node instance…';
    case 'findingNode':
    case 'waitingForNode':
      return 'Looking for the Node instance…';
    case 'creating':
    case 'unlocking':
      return 'Opening this browser\'s store…';
    case 'failed':
      return 'This browser\'s store could not be opened';
    default:
      return 'Locked';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-app': LamaApp;
  }
}
