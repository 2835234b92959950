import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { HostQuery } from '../app/host-query.ts';
import { icon } from '../app/icons.ts';
import type { FederationState, HostLinkState, SyncState } from '../app/lama-connection-status.ts';
import { viewStyles } from '../app/view.styles.ts';
import type { RendererServices } from '../services.ts';
import { controls, theme } from '../theme.styles.ts';
import { styles } from './lama-devices.styles.ts';

export interface DeviceIdentity {
  readonly personId: string;
  readonly instanceId: string;
  readonly name?: string;
}

/**
 * This device as LAMA sees it: the user's Person, the Node instance that keeps the archive on this
 * computer, this browser's own instance, and the link between them. Other devices join with the
 * Internet of Me pairing, which is not part of this view yet — it says so instead of offering
 * buttons that do nothing.
 */
@customElement('lama-devices')
export class LamaDevices extends LitElement {
  static override styles = [theme, controls, viewStyles, styles];

  @property({ attribute: false }) services?: RendererServices;
  /** The Node instance's user (the archive). */
  @property({ attribute: false }) node?: DeviceIdentity;
  /** This browser's own user and instance. */
  @property({ attribute: false }) browser?: DeviceIdentity;
  @property() host: HostLinkState = 'connecting';
  @property() federation: FederationState = 'linking';
  @property({ attribute: false }) sync?: SyncState;

  #info = new HostQuery(this, () => this.services, 'orchestrate:hostInfo', () => ({}));

  override render() {
    const info = this.#info.value;
    const linked = this.host === 'connected' && this.federation === 'up';
    const syncing = this.sync !== undefined && this.sync.total > 0 && this.sync.done < this.sync.total;
    return html`<div class="view">
      <header class="view-header">
        <div>
          <h1>Devices</h1>
          <p>Where your data lives. Each device keeps its own encrypted copy and syncs directly with the others.</p>
        </div>
      </header>

      <section aria-labelledby="this-heading">
        <h2 id="this-heading">This computer</h2>
        <div class="pair">
          <article class="card device" aria-label="Node archive">
            <div class="device-icon">${icon('data', 22)}</div>
            <h3>Archive</h3>
            <p class="secondary">The Node instance: keeps everything, runs your AI models.</p>
            <span class="badge ${this.host === 'connected' ? 'ok' : this.host === 'down' ? 'error' : 'warn'}">${this.host === 'connected' ? 'Running' : this.host === 'down' ? 'Unreachable' : 'Connecting'}</span>
          </article>
          <div class="link ${linked ? 'up' : ''}" role="img" aria-label=${linked ? 'Linked' : 'Not linked'}>
            <span class="line"></span>
            <span class="badge ${linked ? (syncing ? 'busy' : 'ok') : this.federation === 'failed' ? 'error' : 'warn'}">${linked ? (syncing ? `Syncing ${Math.floor((100 * this.sync!.done) / this.sync!.total)}%` : 'Linked · in sync') : this.federation === 'failed' ? 'Link failed' : 'Linking…'}</span>
            <span class="line"></span>
          </div>
          <article class="card device" aria-label="This browser">
            <div class="device-icon">${icon('devices', 22)}</div>
            <h3>This window</h3>
            <p class="secondary">The browser instance: a sparse copy, fetched as you read.</p>
            <span class="badge ${linked ? 'ok' : 'warn'}">${linked ? 'Linked' : 'Waiting'}</span>
          </article>
        </div>
      </section>

      <section aria-labelledby="identity-heading">
        <h2 id="identity-heading">Identity</h2>
        <dl class="card facts">
          <dt>You</dt>
          <dd>${this.node?.name ?? '…'}</dd>
          <dt>Person</dt>
          <dd><code>${this.node?.personId ?? '…'}</code></dd>
          <dt>Node instance</dt>
          <dd><code>${this.node?.instanceId ?? '…'}</code></dd>
          <dt>This browser's person</dt>
          <dd><code>${this.browser?.personId ?? '…'}</code></dd>
          <dt>This browser's instance</dt>
          <dd><code>${this.browser?.instanceId ?? '…'}</code></dd>
          ${info
            ? html`<dt>Federation</dt>
                <dd><code>${info.federationUrl ?? 'not listening'}</code></dd>
                <dt>Data folder</dt>
                <dd><code>${info.dataDir}</code></dd>`
            : nothing}
        </dl>
      </section>

      <section aria-labelledby="other-heading">
        <h2 id="other-heading">Other devices</h2>
        <p class="card empty">Pairing a phone or another computer comes with the Internet of Me update; paired devices will be listed here.</p>
      </section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-devices': LamaDevices;
  }
}
