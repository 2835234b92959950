import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LamaSetupDoneEvent } from '../app/app-events.ts';
import { asQueryError, HostQuery } from '../app/host-query.ts';
import { icon, logo } from '../app/icons.ts';
import type { RendererServices } from '../services.ts';
import { describeHealth, KINDS, type Provider } from '../settings/provider-kinds.ts';
import { controls, theme } from '../theme.styles.ts';
import { styles } from './lama-provider-setup.styles.ts';

const CLAUDE = 'claude';
const ORDER: Record<Provider['kind'], number> = { embedded: 0, ollama: 1, lmstudio: 2, claude: 3 };

/**
 * Onboarding's last step: which AI to talk to first. Lists what the host reports — the embedded
 * model (preselected), Ollama and LM Studio when found on this computer — and offers Claude with
 * an API key. Every healthy provider's models become AI contacts anyway; the choice says which
 * one the first chat is with. Sends `lama-setup-done` with the chosen provider, or none when
 * skipped.
 */
@customElement('lama-provider-setup')
export class LamaProviderSetup extends LitElement {
  static override styles = [theme, controls, styles];

  @property({ attribute: false }) services?: RendererServices;
  @state() private choice?: string;
  @state() private busy = false;
  @state() private problem?: string;

  /** Looking for local servers first: Ollama or LM Studio started after LAMA shows up here too. */
  #providers = new HostQuery(this, () => this.services, 'orchestrate:detectProviders', () => ({}), 'status:aiProviders');

  override render() {
    const providers = [...(this.#providers.value?.providers ?? [])].sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || a.id.localeCompare(b.id));
    const hasClaude = providers.some((p) => p.kind === 'claude');
    const choice = this.choice ?? preselect(providers);
    const looking = this.#providers.value === undefined && !this.#providers.error;
    return html`
      <div class="brand">${logo(36)}</div>
      <h1>Choose your first AI</h1>
      <p class="lead">AI models are contacts in LAMA. Pick the one to start with — you can add others in Settings at any time.</p>
      <form @submit=${this.#submit}>
        <fieldset>
          <legend class="visually-hidden">AI provider</legend>
          ${looking ? html`<p class="looking" role="status">${icon('search', 16)} Looking for AI on this computer…</p>` : nothing}
          ${this.#providers.error ? html`<p class="error-text" role="alert">${this.#providers.error.message}</p>` : nothing}
          ${providers.map((p) => this.#option(p, choice))}
          ${hasClaude ? nothing : this.#claudeOption(choice)}
          ${looking || providers.some((p) => p.kind === 'ollama' || p.kind === 'lmstudio')
            ? nothing
            : html`<p class="hint">No Ollama or LM Studio found on this computer. Start one and it appears here; or add it later in Settings.</p>`}
        </fieldset>
        ${this.problem ? html`<p class="error-text" role="alert">${this.problem}</p>` : nothing}
        <div class="buttons">
          <button type="button" class="ghost" @click=${() => this.dispatchEvent(new LamaSetupDoneEvent({}))}>Skip for now</button>
          <button type="submit" class="primary" ?disabled=${this.busy || !choice}>${this.busy ? 'Checking the key…' : 'Continue'}</button>
        </div>
      </form>
    `;
  }

  #option(provider: Provider, choice: string | undefined) {
    const kind = KINDS[provider.kind];
    const health = describeHealth(provider.health);
    const models = provider.models;
    const detail =
      provider.kind === 'embedded'
        ? models.length > 0
          ? `Ready: ${models.map((m) => m.name).join(', ')}.`
          : 'Its model (about 400 MB) is not on this computer yet.'
        : models.length > 0
          ? `${models.length} model${models.length === 1 ? '' : 's'}: ${models.slice(0, 3).map((m) => m.name).join(', ')}${models.length > 3 ? ', …' : ''}`
          : provider.health?.status === 'ok'
            ? 'Running, but it has no models yet.'
            : provider.health
              ? provider.health.message
              : 'Checking…';
    return html`<label class="option ${choice === provider.id ? 'chosen' : ''}">
      <input type="radio" name="provider" value=${provider.id} .checked=${choice === provider.id} @change=${() => (this.choice = provider.id)} />
      <span class="body">
        <span class="title">${kind.label}${provider.kind === 'embedded' ? html` <span class="badge busy">Recommended</span>` : nothing}
          ${provider.kind === 'embedded' ? nothing : html`<span class="badge ${health.tone}">${health.text}</span>`}</span>
        <span class="blurb">${provider.kind === 'ollama' || provider.kind === 'lmstudio' ? `Found on this computer${provider.endpoint ? ` at ${provider.endpoint}` : ''}.` : kind.blurb}</span>
        <span class="detail">${detail}</span>
      </span>
    </label>`;
  }

  #claudeOption(choice: string | undefined) {
    const chosen = choice === CLAUDE;
    return html`<label class="option ${chosen ? 'chosen' : ''}">
      <input type="radio" name="provider" value=${CLAUDE} .checked=${chosen} @change=${() => (this.choice = CLAUDE)} />
      <span class="body">
        <span class="title">Claude <span class="badge">Optional</span></span>
        <span class="blurb">${KINDS.claude.blurb}</span>
        ${chosen
          ? html`<input class="key" name="apiKey" type="password" required autocomplete="off" placeholder="sk-ant-…" aria-label="Claude API key" />
              <span class="detail">Kept encrypted on this computer; it is never shown again.</span>`
          : nothing}
      </span>
    </label>`;
  }

  #submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const providers = this.#providers.value?.providers ?? [];
    const choice = this.choice ?? preselect(providers);
    if (!choice || !this.services) return;
    if (choice !== CLAUDE || providers.some((p) => p.id === CLAUDE)) {
      this.dispatchEvent(new LamaSetupDoneEvent({ provider: choice }));
      return;
    }
    const apiKey = String(new FormData(event.target as HTMLFormElement).get('apiKey') ?? '').trim();
    if (!apiKey) {
      this.problem = 'Please paste your Claude API key, or choose another AI.';
      return;
    }
    this.busy = true;
    this.problem = undefined;
    try {
      const { provider } = await this.services.orchestrate('orchestrate:saveProvider', { id: CLAUDE, kind: 'claude', apiKey });
      if (provider.health?.status === 'unauthorized') {
        // A refused key is no use kept: take it out again, so Settings does not list a broken provider.
        await this.services.orchestrate('orchestrate:removeProvider', { id: CLAUDE });
        this.problem = 'Anthropic refused this key. Please check it and try again.';
        return;
      }
      this.dispatchEvent(new LamaSetupDoneEvent({ provider: CLAUDE }));
    } catch (error) {
      this.problem = asQueryError(error).message;
    } finally {
      this.busy = false;
    }
  };
}

/** The embedded model when the host has it, else the first healthy provider with models. */
export function preselect(providers: readonly Provider[]): string | undefined {
  return (
    providers.find((p) => p.kind === 'embedded')?.id ??
    providers.find((p) => p.health?.status === 'ok' && p.models.length > 0)?.id ??
    providers[0]?.id
  );
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-provider-setup': LamaProviderSetup;
  }
}
