import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    max-width: 26rem;
    margin: 10vh auto var(--lama-space-6);
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
    margin: 0 0 var(--lama-space-1);
    font-size: var(--lama-font-size-xl);
    font-weight: var(--lama-weight-semibold);
  }
  p {
    margin: 0 0 var(--lama-space-5);
    color: var(--lama-muted);
  }
  form {
    display: grid;
    gap: var(--lama-space-4);
  }
  label {
    display: grid;
    gap: var(--lama-space-1);
    font-size: var(--lama-font-size-sm);
    font-weight: var(--lama-weight-medium);
  }
  input {
    min-height: 40px;
  }
  p.hint {
    margin: calc(-1 * var(--lama-space-3)) 0 0;
    font-size: var(--lama-font-size-xs);
    color: var(--lama-muted);
  }
  button[type='submit'] {
    min-height: 42px;
    font-size: var(--lama-font-size-md);
    margin-top: var(--lama-space-1);
  }
  button[disabled] {
    cursor: progress;
  }
  .error {
    color: var(--lama-danger);
    font-size: var(--lama-font-size-sm);
    margin: 0;
  }
`;
