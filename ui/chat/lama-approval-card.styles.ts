import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
  }
  .card {
    padding: var(--lama-space-3) var(--lama-space-4);
    border-left: 3px solid var(--lama-ai);
    box-shadow: var(--lama-shadow-md);
  }
  .card.destructive {
    border-left-color: var(--lama-warning);
  }
  header {
    display: flex;
    gap: var(--lama-space-3);
    align-items: flex-start;
  }
  .glyph {
    display: grid;
    place-items: center;
    flex: none;
    width: 32px;
    height: 32px;
    border-radius: var(--lama-radius);
    background: var(--lama-ai-soft);
    color: var(--lama-ai);
  }
  .destructive .glyph {
    background: var(--lama-warning-soft);
    color: var(--lama-warning);
  }
  h3 {
    margin: 0;
    font-size: var(--lama-font-size-md);
    font-weight: var(--lama-weight-semibold);
  }
  .tool {
    padding: 1px 6px;
    border-radius: var(--lama-radius-sm);
    background: var(--lama-surface-2);
    font-size: 0.85em;
  }
  .summary,
  .reason {
    margin: 2px 0 0;
    color: var(--lama-muted);
    font-size: var(--lama-font-size-sm);
  }
  .reason {
    margin: var(--lama-space-2) 0 0;
  }
  details {
    margin-top: var(--lama-space-3);
  }
  summary {
    cursor: pointer;
    font-size: var(--lama-font-size-xs);
    font-weight: var(--lama-weight-semibold);
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--lama-muted);
  }
  summary:focus-visible {
    outline: var(--lama-focus-outline);
    outline-offset: 2px;
  }
  .arguments {
    margin: var(--lama-space-2) 0 0;
    padding: var(--lama-space-3);
    max-height: 24rem;
    overflow: auto;
    background: var(--lama-code-bg);
    border: 1px solid var(--lama-border);
    border-radius: var(--lama-radius-sm);
    font-family: var(--lama-font-mono);
    font-size: var(--lama-font-size-sm);
    line-height: 1.45;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .arguments code {
    font-size: inherit;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--lama-space-2);
    margin-top: var(--lama-space-3);
  }
  .waiting {
    font-size: var(--lama-font-size-sm);
    color: var(--lama-muted);
  }
`;
