import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { theme } from '../theme.styles.ts';

/**
 * A JSON value as a collapsible tree (native <details>, so keyboard and screen readers work as
 * they do everywhere): objects and arrays show their size when closed; the two outer levels
 * start open. Summaries' markers (`«redacted»`, `«3 more»`) read as notes, not as data.
 */
@customElement('lama-json-tree')
export class LamaJsonTree extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        font-family: var(--lama-font-mono);
        font-size: 12px;
        line-height: 1.6;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0 0 0 14px;
        border-left: 1px solid var(--lama-border);
        margin-left: 4px;
      }
      :host > ul {
        padding-left: 0;
        border: 0;
        margin: 0;
      }
      summary {
        cursor: pointer;
        border-radius: 4px;
        list-style-position: outside;
        margin-left: 12px;
      }
      summary:hover {
        background: var(--lama-surface-2);
      }
      summary:focus-visible {
        outline: var(--lama-focus-outline);
        outline-offset: 1px;
      }
      li.leaf {
        padding-left: 12px;
        overflow-wrap: anywhere;
      }
      .key {
        color: var(--lama-text);
      }
      .preview,
      .note {
        color: var(--lama-subtle);
        font-style: italic;
      }
      .string {
        color: var(--lama-success);
      }
      .number,
      .boolean {
        color: var(--lama-accent);
      }
      .null {
        color: var(--lama-subtle);
      }
    `,
  ];

  @property({ attribute: false }) value: unknown;

  override render() {
    if (this.value === undefined) return html`<p class="note">No context.</p>`;
    if (!isBranch(this.value)) return html`<ul>${this.#leaf(undefined, this.value)}</ul>`;
    return html`<ul role="list">${entriesOf(this.value).map(([key, value]) => this.#item(key, value, 0))}</ul>`;
  }

  #item(key: string, value: unknown, depth: number): TemplateResult {
    if (!isBranch(value)) return this.#leaf(key, value);
    const entries = entriesOf(value);
    return html`<li>
      <details ?open=${depth < 1 && entries.length <= 12}>
        <summary><span class="key">${key}</span>: <span class="preview">${preview(value)}</span></summary>
        <ul>${entries.map(([k, v]) => this.#item(k, v, depth + 1))}</ul>
      </details>
    </li>`;
  }

  #leaf(key: string | undefined, value: unknown): TemplateResult {
    return html`<li class="leaf">${key !== undefined ? html`<span class="key">${key}</span>: ` : nothing}${this.#primitive(value)}</li>`;
  }

  #primitive(value: unknown): TemplateResult {
    if (value === null) return html`<span class="null">null</span>`;
    if (typeof value === 'object') return html`<span class="null">${Array.isArray(value) ? '[]' : '{}'}</span>`;
    if (typeof value === 'string') {
      return /^«.*»$/.test(value) ? html`<span class="note">${value}</span>` : html`<span class="string">"${value}"</span>`;
    }
    return html`<span class=${typeof value}>${String(value)}</span>`;
  }
}

function isBranch(value: unknown): value is object {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

function entriesOf(value: object): [string, unknown][] {
  return Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
}

function preview(value: object): string {
  const count = Object.keys(value).length;
  return Array.isArray(value) ? `[${count} ${count === 1 ? 'item' : 'items'}]` : `{${count} ${count === 1 ? 'field' : 'fields'}}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-json-tree': LamaJsonTree;
  }
}
