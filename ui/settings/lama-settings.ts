import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { HostQuery } from '../app/host-query.ts';
import { icon } from '../app/icons.ts';
import { viewStyles } from '../app/view.styles.ts';
import type { RendererServices } from '../services.ts';
import { controls, theme } from '../theme.styles.ts';
import './lama-provider-settings.ts';
import './lama-tool-settings.ts';
import { styles } from './lama-settings.styles.ts';

/** Settings of this device: AI providers, the AI's tools (folders and approvals), the data folder. */
@customElement('lama-settings')
export class LamaSettings extends LitElement {
  static override styles = [theme, controls, viewStyles, styles];

  @property({ attribute: false }) services?: RendererServices;
  #info = new HostQuery(this, () => this.services, 'orchestrate:hostInfo', () => ({}));

  override render() {
    return html`<div class="view">
      <header class="view-header">
        <div>
          <h1>Settings</h1>
          <p>For this device. Your AI contacts follow the providers configured here.</p>
        </div>
      </header>
      <section><lama-provider-settings .services=${this.services}></lama-provider-settings></section>
      <section><lama-tool-settings .services=${this.services}></lama-tool-settings></section>
      <section aria-labelledby="data-heading">
        <h2 id="data-heading">${icon('data', 16)} Data folder</h2>
        <div class="card folder">
          <code>${this.#info.value?.dataDir ?? (this.#info.error ? this.#info.error.message : '…')}</code>
          <p class="note">The archive, its files and the models live here, encrypted under your passphrase. Start LAMA with <code>--data DIR</code> to use another folder.</p>
        </div>
      </section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-settings': LamaSettings;
  }
}
