import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    padding: var(--lama-space-2) var(--lama-space-4) var(--lama-space-2);
  }
  .box {
    display: flex;
    align-items: flex-end;
    gap: var(--lama-space-2);
    max-width: var(--lama-chat-max-width, 860px);
    margin: 0 auto;
    padding: 6px 6px 6px var(--lama-space-3);
    background: var(--lama-surface);
    border: 1px solid var(--lama-border-strong);
    border-radius: var(--lama-radius-lg);
    box-shadow: var(--lama-shadow-sm);
    transition: border-color var(--lama-duration) var(--lama-ease), box-shadow var(--lama-duration) var(--lama-ease);
  }
  .box:focus-within {
    border-color: var(--lama-accent);
    box-shadow: var(--lama-focus);
  }
  .box[data-disabled] {
    background: var(--lama-surface-2);
  }
  textarea {
    flex: 1;
    min-height: 34px;
    max-height: min(40vh, 14lh);
    padding: 5px 0;
    border: 0;
    background: transparent;
    resize: none;
    overflow-y: auto;
    line-height: var(--lama-line-height);
    box-sizing: border-box;
  }
  .box textarea:focus-visible {
    outline: none;
  }
  .send {
    flex: none;
    width: 36px;
    min-height: 36px;
    padding: 0;
    border-radius: var(--lama-radius);
  }
  .send:focus-visible {
    outline: var(--lama-focus-outline);
    outline-offset: 2px;
  }
  .hint {
    max-width: var(--lama-chat-max-width, 860px);
    margin: var(--lama-space-1) auto 0;
    padding: 0 var(--lama-space-3);
    font-size: var(--lama-font-size-xs);
    color: var(--lama-subtle);
    min-height: 1lh;
  }
  kbd {
    font: inherit;
    font-weight: var(--lama-weight-medium);
    color: var(--lama-muted);
  }
`;
