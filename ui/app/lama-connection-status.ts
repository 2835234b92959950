import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { theme } from '../theme.styles.ts';
import { formatCount } from './format.ts';
import { styles } from './lama-connection-status.styles.ts';

export type HostLinkState = 'connected' | 'connecting' | 'down';
export type FederationState = 'up' | 'linking' | 'failed';

export interface SyncState {
  readonly done: number;
  readonly total: number;
}

type Tone = 'ok' | 'busy' | 'warn' | 'error';

/**
 * The connection indicator at the foot of the rail: the link to the host (orchestration), the
 * browser's federation link to the Node archive, and CHUM's progress on it — one line that says
 * the most important of the three, and a row for each. Renders what it is given; the shell reads
 * the actors.
 */
@customElement('lama-connection-status')
export class LamaConnectionStatus extends LitElement {
  static override styles = [theme, styles];

  @property() host: HostLinkState = 'connecting';
  @property() federation: FederationState = 'linking';
  @property({ attribute: false }) sync?: SyncState;
  /** The archive link in words (describeFederation), more precise than its state. */
  @property() federationLabel = '';
  /** Why the host link is down, or the federation failed: shown as the rows' tooltip. */
  @property() detail = '';

  override render() {
    const syncing = this.sync !== undefined && this.sync.total > 0 && this.sync.done < this.sync.total;
    const percent = syncing ? Math.floor((100 * this.sync!.done) / this.sync!.total) : 100;
    const [tone, summary] = this.#summary(syncing, percent);
    const rows: [string, Tone, string][] = [
      ['host', this.host === 'connected' ? 'ok' : this.host === 'down' ? 'error' : 'warn', this.host === 'connected' ? 'Connected to LAMA' : this.host === 'down' ? 'Reconnecting to LAMA…' : 'Connecting to LAMA…'],
      ['archive', this.federation === 'up' ? 'ok' : this.federation === 'failed' ? 'error' : 'warn', this.federationLabel || (this.federation === 'up' ? 'Linked to the Node instance' : 'Connecting to the Node instance…')],
      ['sync', this.federation !== 'up' ? 'warn' : syncing ? 'busy' : 'ok', this.federation !== 'up' ? 'Sync waits for the link' : syncing ? `Syncing ${formatCount(this.sync!.done)} of ${formatCount(this.sync!.total)}` : 'Everything synced'],
    ];
    return html`
      <div class="summary ${tone}" role="status" aria-live="polite" title=${this.detail}>
        <span class="dot" aria-hidden="true"></span>
        <span class="text">${summary}</span>
      </div>
      ${syncing ? html`<progress max=${this.sync!.total} value=${this.sync!.done} aria-label="Sync progress"></progress>` : nothing}
      <ul class="rows" role="list" title=${this.detail}>
        ${rows.map(([name, rowTone, text]) => html`<li class="row ${rowTone}" data-row=${name}><span class="dot" aria-hidden="true"></span><span class="text">${text}</span></li>`)}
      </ul>
    `;
  }

  #summary(syncing: boolean, percent: number): [Tone, string] {
    if (this.host === 'down') return ['error', 'Reconnecting to LAMA…'];
    if (this.host === 'connecting') return ['warn', 'Connecting to LAMA…'];
    if (this.federation === 'failed') return ['error', 'Archive link failed'];
    if (this.federation === 'linking') return ['warn', 'Linking to your archive…'];
    if (syncing) return ['busy', `Syncing… ${percent}%`];
    return ['ok', 'Connected'];
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-connection-status': LamaConnectionStatus;
  }
}
