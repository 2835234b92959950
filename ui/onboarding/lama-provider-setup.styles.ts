import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    max-width: 34rem;
    margin: 8vh auto var(--lama-space-6);
    padding: var(--lama-space-6);
    background: var(--lama-surface);
    border: 1px solid var(--lama-border);
    border-radius: var(--lama-radius-lg);
    box-shadow: var(--lama-shadow-md);
  }
  .brand {
    margin-bottom: var(--lama-space-4);
  }
  h1 {
    margin: 0;
    font-size: var(--lama-font-size-xl);
    font-weight: var(--lama-weight-semibold);
  }
  .lead {
    margin: var(--lama-space-1) 0 var(--lama-space-5);
    color: var(--lama-muted);
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--lama-space-2);
  }
  .option {
    display: flex;
    gap: var(--lama-space-3);
    align-items: flex-start;
    padding: var(--lama-space-3) var(--lama-space-4);
    border: 1px solid var(--lama-border-strong);
    border-radius: var(--lama-radius);
    cursor: pointer;
    transition: border-color var(--lama-duration) var(--lama-ease), background var(--lama-duration) var(--lama-ease);
  }
  .option:hover {
    background: var(--lama-surface-2);
  }
  .option.chosen {
    border-color: var(--lama-accent);
    background: var(--lama-accent-soft);
  }
  .option:focus-within {
    outline: var(--lama-focus-outline);
    outline-offset: 2px;
  }
  .option input[type='radio'] {
    margin-top: 3px;
  }
  .option input[type='radio']:focus-visible {
    outline: none;
  }
  .body {
    display: grid;
    gap: 2px;
    min-width: 0;
    flex: 1;
  }
  .title {
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    gap: var(--lama-space-2);
    font-weight: var(--lama-weight-semibold);
  }
  .blurb {
    color: var(--lama-text);
    font-size: var(--lama-font-size-sm);
  }
  .detail {
    color: var(--lama-muted);
    font-size: var(--lama-font-size-sm);
    overflow-wrap: anywhere;
  }
  .key {
    margin: var(--lama-space-2) 0 var(--lama-space-1);
    width: 100%;
  }
  .looking,
  .hint {
    display: flex;
    align-items: center;
    gap: var(--lama-space-2);
    margin: var(--lama-space-1) 0;
    color: var(--lama-muted);
    font-size: var(--lama-font-size-sm);
  }
  .buttons {
    display: flex;
    justify-content: flex-end;
    gap: var(--lama-space-2);
    margin-top: var(--lama-space-5);
  }
  .buttons .primary {
    min-width: 8rem;
  }
  .error-text {
    margin: var(--lama-space-3) 0 0;
    font-size: var(--lama-font-size-sm);
  }
`;
