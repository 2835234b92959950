import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ToolApproval, ToolChoice } from '../../machines/chat-view.ts';
import { controls, theme } from '../theme.styles.ts';
import { LamaDecideEvent } from './chat-events.ts';
import { icons } from './icons.ts';
import { styles } from './lama-approval-card.styles.ts';

/**
 * An AI's tool call waiting for the user (specs/ai.md §6), inline in the conversation: which tool,
 * why it asks, and the call's full arguments as formatted JSON — nothing elided, since the user is
 * approving exactly these. "Allow once", "Always allow" (remembered for this tool) or "Deny" send
 * `lama-decide`; once answered, the buttons wait for the AI to move on.
 */
@customElement('lama-approval-card')
export class LamaApprovalCard extends LitElement {
  static override styles = [theme, controls, styles];

  @property({ attribute: false }) approval!: ToolApproval;
  /** Who asks (the AI contact's name). */
  @property() ai = 'The AI';
  /** The call id already answered, while the AI has not moved on. */
  @property() decided?: string;

  override render() {
    const { call, title, reason, destructive } = this.approval;
    const answered = this.decided === call.id;
    return html`
      <section class="card ${destructive ? 'destructive' : ''}" role="group" aria-labelledby="title" aria-describedby="reason">
        <header>
          <span class="glyph">${destructive ? icons.warning : icons.tool}</span>
          <div>
            <h3 id="title">${this.ai} wants to use <code class="tool">${call.name}</code></h3>
            <p class="summary">${title}</p>
          </div>
        </header>
        <p id="reason" class="reason">${reason}</p>
        <details open>
          <summary>Arguments</summary>
          <pre class="arguments" tabindex="0" aria-label="Arguments of ${call.name}"><code>${JSON.stringify(call.arguments, null, 2)}</code></pre>
        </details>
        <div class="actions">
          <button class="primary" ?disabled=${answered} @click=${() => this.#decide('allowOnce')}>Allow once</button>
          <button ?disabled=${answered} @click=${() => this.#decide('alwaysAllow')}>Always allow</button>
          <button class="danger" ?disabled=${answered} @click=${() => this.#decide('deny')}>Deny</button>
          ${answered ? html`<span class="waiting" role="status">Sent — waiting for ${this.ai}…</span>` : nothing}
        </div>
      </section>
    `;
  }

  #decide(choice: ToolChoice): void {
    this.dispatchEvent(new LamaDecideEvent(this.approval.call.id, choice));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-approval-card': LamaApprovalCard;
  }
}
