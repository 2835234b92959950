import { html, LitElement } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { controls, theme } from '../theme.styles.ts';
import { LamaSendEvent } from './chat-events.ts';
import { icons } from './icons.ts';
import { styles } from './lama-composer.styles.ts';

/** The longest message a topic accepts (actors/chat/chat.ts MAX_TEXT_CHARS). */
export const MAX_MESSAGE_CHARS = 100_000;

/**
 * Where a message is written: Enter sends, Shift+Enter starts a new line (and Enter while an input
 * method is composing does neither); the field grows with its text up to a limit, then scrolls.
 * Sends `lama-send` with the text; it never sends blank text. Disabled while nothing can be sent.
 */
@customElement('lama-composer')
export class LamaComposer extends LitElement {
  static override styles = [theme, controls, styles];

  @property({ type: Boolean, reflect: true }) disabled = false;
  @property() placeholder = 'Write a message';
  /** A line under the field: why sending is off, or that messages wait for the link. */
  @property() hint = '';
  /** Names the field for assistive technology, e.g. "Message Tiny". */
  @property() label = 'Message';
  @state() private text = '';
  @query('textarea') private field!: HTMLTextAreaElement;

  override focus(): void {
    this.field?.focus();
  }

  override render() {
    const blank = this.text.trim() === '';
    const tooLong = this.text.length > MAX_MESSAGE_CHARS;
    return html`
      <div class="box" ?data-disabled=${this.disabled}>
        <textarea
          rows="1"
          .value=${this.text}
          placeholder=${this.placeholder}
          aria-label=${this.label}
          aria-describedby="hint"
          ?disabled=${this.disabled}
          @input=${this.#input}
          @keydown=${this.#keydown}
        ></textarea>
        <button class="send primary" type="button" aria-label="Send message" title="Send (Enter)" ?disabled=${this.disabled || blank || tooLong} @click=${this.#send}>
          ${icons.send}
        </button>
      </div>
      <p id="hint" class="hint ${tooLong ? 'error-text' : ''}">
        ${tooLong
          ? `Too long: ${this.text.length.toLocaleString()} of ${MAX_MESSAGE_CHARS.toLocaleString()} characters`
          : this.hint || html`<kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line`}
      </p>
    `;
  }

  protected override updated(): void {
    this.#grow();
  }

  #input(event: InputEvent): void {
    this.text = (event.target as HTMLTextAreaElement).value;
  }

  #keydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    this.#send();
  }

  #send(): void {
    if (this.disabled || this.text.trim() === '' || this.text.length > MAX_MESSAGE_CHARS) return;
    this.dispatchEvent(new LamaSendEvent(this.text));
    this.text = '';
    this.field.value = '';
    this.#grow();
    this.field.focus();
  }

  /** Fits the field to its text (the stylesheet caps its height; beyond that it scrolls). */
  #grow(): void {
    const field = this.field;
    if (!field) return;
    field.style.height = 'auto';
    field.style.height = `${field.scrollHeight}px`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-composer': LamaComposer;
  }
}
