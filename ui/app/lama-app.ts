import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ActorRefFrom, SnapshotFrom } from 'xstate';
import type { browserSessionMachine } from '../../machines/browser-session.ts';
import type { hostLinkMachine } from '../../machines/host-link.ts';
import { ActorSelect } from '../controllers/actor-select.ts';
import type { RendererServices } from '../services.ts';
import type { LamaProvisionEvent } from '../events.ts';
import '../onboarding/lama-onboarding.ts';
import { theme } from '../theme.styles.ts';
import { styles } from './lama-app.styles.ts';

type HostLink = ActorRefFrom<typeof hostLinkMachine>;
type BrowserSession = ActorRefFrom<typeof browserSessionMachine>;

interface View {
  link: 'connecting' | 'connected' | 'down';
  linkMessage?: string;
  busy: boolean;
  snapshot: SnapshotFrom<HostLink>;
}

/**
 * The renderer's root: follows the host link and shows onboarding until the Node user is
 * provisioned, then the app's status. (The chat layout arrives with the UI issue.)
 */
@customElement('lama-app')
export class LamaApp extends LitElement {
  static override styles = [theme, styles];

  @property({ attribute: false }) link!: HostLink;
  /** The browser instance's own session: its user and its federation with the Node. */
  @property({ attribute: false }) session!: BrowserSession;
  /** The browser instance, orchestration calls, status pushes and the browser's inspection feed. */
  @property({ attribute: false }) services?: RendererServices;

  #view = new ActorSelect(
    this,
    () => this.link,
    (snapshot): View => ({
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
    (snapshot) => ({ state: snapshot.value as string, linkUp: snapshot.context.linkUp, error: snapshot.context.error?.message, failure: snapshot.context.error }),
    (a, b) => a.state === b.state && a.linkUp === b.linkUp && a.error === b.error,
  );

  /** This browser's own user still needs the passphrase (a new browser, or after a reload). */
  #locked(): boolean {
    return ['new', 'locked', 'creating', 'unlocking'].includes(this.#federation.value.state);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('lama-provision', this.#provision);
  }

  override disconnectedCallback(): void {
    this.removeEventListener('lama-provision', this.#provision);
    super.disconnectedCallback();
  }

  override render() {
    const { link, linkMessage, busy, snapshot } = this.#view.value;
    const { user, app, provisionError } = snapshot.context;
    return html`
      ${link === 'connected'
        ? nothing
        : html`<div class="banner ${link}" role="status">${link === 'down' ? `Reconnecting to LAMA… ${linkMessage ?? ''}` : 'Connecting to LAMA…'}</div>`}
      ${user && !this.#locked()
        ? this.#status(user, link === 'connected' ? app : undefined)
        : link === 'connected' && app
          ? html`<lama-onboarding
              .mode=${app.provisioning === 'awaitingUser' ? 'create' : 'unlock'}
              ?busy=${busy || this.#federation.value.state === 'unlocking' || this.#federation.value.state === 'creating'}
              .error=${provisionError ?? this.#federation.value.failure}
            ></lama-onboarding>`
          : nothing}
    `;
  }

  #status(user: { name: string; personId: string; instanceId: string }, app: { state: string; failures: readonly { child: string; reason: string }[] } | undefined) {
    return html`<main>
      <h1>Hello, ${user.name}</h1>
      <dl aria-label="This device">
        <dt>Person</dt><dd><code>${user.personId}</code></dd>
        <dt>Node instance</dt><dd><code>${user.instanceId}</code></dd>
        <dt>App</dt><dd title=${app?.state ?? ''}>${describeApp(app?.state)}</dd>
        <dt>This browser</dt><dd title=${this.#federation.value.error ?? ''}>${describeFederation(this.#federation.value.state, this.#federation.value.linkUp)}</dd>
        ${(app?.failures ?? []).map((f) => html`<dt class="failure">${f.child}</dt><dd class="failure">stopped: ${f.reason}</dd>`)}
      </dl>
    </main>`;
  }

  #provision = (event: LamaProvisionEvent): void => {
    const { name, passphrase } = event.detail;
    // The one passphrase opens both users: the Node instance's (over IPC) and this browser's own.
    this.link.send({ type: 'provision.submit', name: name || 'LAMA user', passphrase });
    this.session.send({ type: 'user.unlock', name: name || 'LAMA browser', passphrase });
  };
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

/** The app supervisor's state in words; the exact state stays in the tooltip and the inspector. */
export function describeApp(state: string | undefined): string {
  if (!state) return '…';
  if (state.startsWith('live.running')) return 'Running';
  if (state.startsWith('live.provisioning')) return 'Waiting for your passphrase';
  if (state === 'starting') return 'Opening the archive';
  if (state === 'stopping' || state === 'stopped') return 'Stopping';
  return state === 'failed' ? 'Stopped after an error' : state;
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-app': LamaApp;
  }
}
