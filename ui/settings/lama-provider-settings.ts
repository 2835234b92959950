import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { asQueryError, HostQuery } from '../app/host-query.ts';
import { icon } from '../app/icons.ts';
import { viewStyles } from '../app/view.styles.ts';
import type { RendererServices } from '../services.ts';
import { controls, theme } from '../theme.styles.ts';
import { styles } from './lama-provider-settings.styles.ts';
import { describeHealth, freeProviderId, KINDS, relativeTime, type ConfigurableKind, type Provider } from './provider-kinds.ts';

/**
 * The AI providers of this device with their models and health: check one now, remove one, add
 * Ollama, LM Studio or Claude (endpoint and key), or look for local servers again. A key goes to
 * the host and never comes back: the list only says whether a provider has one.
 */
@customElement('lama-provider-settings')
export class LamaProviderSettings extends LitElement {
  static override styles = [theme, controls, viewStyles, styles];

  @property({ attribute: false }) services?: RendererServices;
  @state() private adding = false;
  @state() private kind: ConfigurableKind = 'ollama';
  @state() private busy = new Set<string>();
  @state() private message?: { tone: 'ok' | 'error'; text: string };

  #providers = new HostQuery(this, () => this.services, 'orchestrate:aiProviders', () => ({}), 'status:aiProviders');

  override render() {
    const providers = this.#providers.value?.providers;
    return html`
      <div class="section-head">
        <h2 id="providers-heading">${icon('ai', 16)} AI providers</h2>
        <div class="actions">
          <button class="small" ?disabled=${this.busy.has('detect')} @click=${() => void this.#detect()}>${icon('search', 14)} ${this.busy.has('detect') ? 'Looking…' : 'Look for local servers'}</button>
          <button class="small primary" aria-expanded=${this.adding} @click=${() => (this.adding = !this.adding)}>${icon('plus', 14)} Add provider</button>
        </div>
      </div>
      ${this.message ? html`<p class="message ${this.message.tone}" role=${this.message.tone === 'error' ? 'alert' : 'status'}>${this.message.text}</p>` : nothing}
      ${this.adding ? this.#form(providers ?? []) : nothing}
      <div class="card" aria-labelledby="providers-heading">
        ${this.#providers.error
          ? html`<p class="empty error-text" role="alert">${this.#providers.error.message}</p>`
          : providers === undefined
            ? html`<p class="empty" role="status">Loading providers…</p>`
            : providers.length === 0
              ? html`<p class="empty">No AI provider yet. Add Ollama, LM Studio or Claude.</p>`
              : html`<ul class="rows" role="list">${providers.map((p) => this.#row(p))}</ul>`}
      </div>
    `;
  }

  #row(provider: Provider) {
    const health = describeHealth(provider.health);
    const kind = KINDS[provider.kind];
    const checking = this.busy.has(`check:${provider.id}`);
    return html`<li class="provider">
      <div class="grow">
        <div class="title">
          <h3>${kind.label}</h3>
          ${provider.id !== provider.kind ? html`<span class="secondary mono">${provider.id}</span>` : nothing}
          <span class="badge ${health.tone}" title=${provider.health && provider.health.status !== 'ok' ? provider.health.message : ''}>${health.text}</span>
          ${provider.persisted ? nothing : html`<span class="badge">Built in</span>`}
        </div>
        <div class="secondary">
          ${provider.endpoint ? html`<span class="mono">${provider.endpoint}</span> · ` : nothing}${kind.key === 'none' ? nothing : provider.hasKey ? 'API key set · ' : kind.key === 'required' ? 'No API key · ' : nothing}checked ${relativeTime(provider.checkedAt)}
        </div>
        ${provider.health && provider.health.status !== 'ok' ? html`<p class="problem">${provider.health.message}</p>` : nothing}
        ${provider.models.length > 0
          ? html`<ul class="models" role="list" aria-label="Models of ${kind.label}">
              ${provider.models.map((m) => html`<li class="model"><span>${m.name}</span>${m.tools ? html`<span class="tag">tools</span>` : nothing}</li>`)}
            </ul>`
          : html`<p class="secondary">${provider.kind === 'embedded' ? 'No model on this computer yet.' : 'No models listed.'}</p>`}
      </div>
      <div class="actions">
        <button class="small" ?disabled=${checking} @click=${() => void this.#check(provider.id)} aria-label="Check ${kind.label} now">${icon('refresh', 14)} ${checking ? 'Checking…' : 'Check now'}</button>
        ${provider.persisted
          ? html`<button class="small danger" ?disabled=${this.busy.has(`remove:${provider.id}`)} @click=${() => void this.#remove(provider)} aria-label="Remove ${kind.label} (${provider.id})">${icon('trash', 14)} Remove</button>`
          : nothing}
      </div>
    </li>`;
  }

  #form(providers: readonly Provider[]) {
    const kind = KINDS[this.kind];
    return html`<form class="card add" @submit=${this.#save} aria-label="Add an AI provider">
      <label class="field">Kind
        <select name="kind" .value=${this.kind} @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as ConfigurableKind)}>
          <option value="ollama">Ollama</option>
          <option value="lmstudio">LM Studio</option>
          <option value="claude">Claude (Anthropic)</option>
        </select>
      </label>
      <label class="field">Name
        <input name="id" required pattern="[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}" .value=${freeProviderId(this.kind, providers.map((p) => p.id))} />
      </label>
      <label class="field wide">Endpoint
        <input name="endpoint" type="url" placeholder="${kind.defaultEndpoint} (default)" autocomplete="off" />
      </label>
      <label class="field wide">API key${kind.key === 'optional' ? ' (only if the server asks for one)' : ''}
        <input name="apiKey" type="password" autocomplete="off" ?required=${kind.key === 'required'} placeholder=${this.kind === 'claude' ? 'sk-ant-…' : ''} />
      </label>
      <div class="form-actions wide">
        <button type="button" class="ghost" @click=${() => (this.adding = false)}>Cancel</button>
        <button type="submit" class="primary" ?disabled=${this.busy.has('save')}>${this.busy.has('save') ? 'Checking…' : 'Save and check'}</button>
      </div>
    </form>`;
  }

  async #run(key: string, work: () => Promise<void>): Promise<void> {
    this.busy = new Set(this.busy).add(key);
    this.message = undefined;
    try {
      await work();
    } catch (error) {
      this.message = { tone: 'error', text: asQueryError(error).message };
    } finally {
      const next = new Set(this.busy);
      next.delete(key);
      this.busy = next;
    }
  }

  #save = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    const data = new FormData(form);
    const id = String(data.get('id')).trim();
    const endpoint = String(data.get('endpoint') ?? '').trim();
    const apiKey = String(data.get('apiKey') ?? '').trim();
    void this.#run('save', async () => {
      const { provider } = await this.services!.orchestrate('orchestrate:saveProvider', { id, kind: this.kind, ...(endpoint ? { endpoint } : {}), ...(apiKey ? { apiKey } : {}) });
      this.adding = false;
      const health = describeHealth(provider.health);
      this.message =
        provider.health?.status === 'ok'
          ? { tone: 'ok', text: `${KINDS[provider.kind].label} added: ${provider.models.length} model${provider.models.length === 1 ? '' : 's'}.` }
          : { tone: 'error', text: `${KINDS[provider.kind].label} was saved, but: ${health.text.toLowerCase()}${provider.health ? ` — ${provider.health.message}` : ''}. LAMA keeps checking it.` };
      await this.#providers.refresh();
    });
  };

  #check(id: string): Promise<void> {
    return this.#run(`check:${id}`, async () => {
      await this.services!.orchestrate('orchestrate:checkProvider', { id });
      await this.#providers.refresh();
    });
  }

  #remove(provider: Provider): Promise<void> {
    return this.#run(`remove:${provider.id}`, async () => {
      await this.services!.orchestrate('orchestrate:removeProvider', { id: provider.id });
      await this.#providers.refresh();
    });
  }

  #detect(): Promise<void> {
    return this.#run('detect', async () => {
      const before = new Set(this.#providers.value?.providers.map((p) => p.id));
      const found = await this.services!.orchestrate('orchestrate:detectProviders', {});
      this.#providers.set(found);
      const added = found.providers.filter((p) => !before.has(p.id));
      this.message = { tone: 'ok', text: added.length > 0 ? `Found ${added.map((p) => KINDS[p.kind].label).join(' and ')}.` : 'No new Ollama or LM Studio server found on this computer.' };
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-provider-settings': LamaProviderSettings;
  }
}
