import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    max-width: 26rem;
    margin: 12vh auto 0;
    padding: 2rem;
    background: var(--lama-surface);
    border: 1px solid var(--lama-border);
    border-radius: var(--lama-radius);
  }
  h1 {
    margin: 0 0 0.25rem;
    font-size: 1.4rem;
  }
  p {
    margin: 0 0 1.5rem;
    color: var(--lama-muted);
  }
  form {
    display: grid;
    gap: 1rem;
  }
  label {
    display: grid;
    gap: 0.35rem;
    font-size: 0.9rem;
  }
  input {
    font: inherit;
    padding: 0.6rem 0.7rem;
    border: 1px solid var(--lama-border);
    border-radius: 8px;
    background: var(--lama-bg);
    color: var(--lama-text);
  }
  input:focus-visible,
  button:focus-visible {
    outline: none;
    box-shadow: var(--lama-focus);
  }
  button {
    font: inherit;
    padding: 0.65rem;
    border: 0;
    border-radius: 8px;
    background: var(--lama-accent);
    color: var(--lama-accent-text);
    cursor: pointer;
  }
  button[disabled] {
    opacity: 0.6;
    cursor: progress;
  }
  .error {
    color: var(--lama-danger);
    font-size: 0.9rem;
    margin: 0;
  }
`;
