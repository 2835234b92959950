import { html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { logo } from '../app/icons.ts';
import { LamaProvisionEvent } from '../events.ts';
import { controls, theme } from '../theme.styles.ts';
import { styles } from './lama-onboarding.styles.ts';

export const MIN_PASSPHRASE = 8;

/** Friendlier words for the codes provisioning answers with. */
const MESSAGES: Record<string, string> = {
  WRONG_PASSPHRASE: 'That passphrase does not unlock this archive.',
  BAD_REQUEST: 'Please check the name and passphrase.',
  DISCONNECTED: 'Lost the connection to LAMA; it will reconnect by itself.',
};

/**
 * First launch: pick a name and a passphrase, which create the Node instance's user; later
 * launches: the passphrase unlocks it. Sends `lama-provision`; shows the host's refusal.
 */
@customElement('lama-onboarding')
export class LamaOnboarding extends LitElement {
  static override styles = [theme, controls, styles];

  @property() mode: 'create' | 'unlock' = 'create';
  @property({ type: Boolean }) busy = false;
  @property({ attribute: false }) error?: { code: string; message: string };
  @state() private problem?: string;
  @query('form') private form!: HTMLFormElement;

  override render() {
    const creating = this.mode === 'create';
    const shown = this.problem ?? (this.error ? (MESSAGES[this.error.code] ?? this.error.message) : undefined);
    return html`
      <div class="brand">${logo(40)}</div>
      <h1>${creating ? 'Welcome to LAMA' : 'Unlock LAMA'}</h1>
      <p>${creating ? 'Your messages stay on your devices, encrypted. Choose a name and a passphrase.' : 'Enter your passphrase to open your archive.'}</p>
      <form @submit=${this.#submit} novalidate>
        ${creating
          ? html`<label>Your name <input name="name" autocomplete="nickname" required maxlength="100" aria-label="Your name" /></label>`
          : nothing}
        <label>Passphrase
          <input name="passphrase" type="password" autocomplete=${creating ? 'new-password' : 'current-password'} required minlength=${MIN_PASSPHRASE} aria-label="Passphrase" aria-describedby=${creating ? 'passphrase-hint' : nothing} />
        </label>
        ${creating ? html`<p id="passphrase-hint" class="hint">At least ${MIN_PASSPHRASE} characters. It encrypts everything on this computer and cannot be recovered, so keep it safe.</p>` : nothing}
        ${creating
          ? html`<label>Repeat passphrase <input name="confirm" type="password" autocomplete="new-password" required aria-label="Repeat passphrase" /></label>`
          : nothing}
        ${shown ? html`<p class="error" role="alert">${shown}</p>` : nothing}
        <button type="submit" class="primary" ?disabled=${this.busy}>${this.busy ? 'Working…' : creating ? 'Create my identity' : 'Unlock'}</button>
      </form>
    `;
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(this.form);
    const name = String(data.get('name') ?? '').trim();
    const passphrase = String(data.get('passphrase') ?? '');
    this.problem = this.#check(name, passphrase, String(data.get('confirm') ?? ''));
    if (this.problem) return;
    // Unlocking sends no name: an existing user keeps the one it has.
    this.dispatchEvent(new LamaProvisionEvent({ name: this.mode === 'create' ? name : '', passphrase }));
  }

  #check(name: string, passphrase: string, confirm: string): string | undefined {
    if (this.mode === 'create' && name === '') return 'Please enter a name.';
    if (passphrase.length < MIN_PASSPHRASE) return `The passphrase needs at least ${MIN_PASSPHRASE} characters.`;
    if (this.mode === 'create' && passphrase !== confirm) return 'The two passphrases differ.';
    return undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-onboarding': LamaOnboarding;
  }
}
