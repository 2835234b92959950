import { css } from 'lit';

export const styles = css`
  dialog {
    width: min(28rem, calc(100vw - 2rem));
    max-height: min(40rem, calc(100vh - 2rem));
    padding: 0;
    border: 1px solid var(--lama-border);
    border-radius: var(--lama-radius-lg);
    background: var(--lama-surface);
    color: var(--lama-text);
    box-shadow: var(--lama-shadow-lg);
  }
  dialog::backdrop {
    background: rgb(10 10 20 / 0.35);
  }
  form {
    display: flex;
    flex-direction: column;
    gap: var(--lama-space-3);
    max-height: inherit;
    box-sizing: border-box;
    padding: var(--lama-space-5);
  }
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
  }
  h2 {
    margin: 0;
    font-size: var(--lama-font-size-xl);
    font-weight: var(--lama-weight-semibold);
  }
  .close {
    padding: 0 var(--lama-space-2);
  }
  #lead {
    margin: calc(-1 * var(--lama-space-2)) 0 0;
    color: var(--lama-muted);
    font-size: var(--lama-font-size-sm);
  }
  .search {
    position: relative;
    display: block;
    color: var(--lama-subtle);
  }
  .search .icon {
    position: absolute;
    left: 10px;
    top: 50%;
    transform: translateY(-50%);
  }
  .search input {
    width: 100%;
    padding-left: 34px;
    background: var(--lama-surface-2);
    border-color: transparent;
  }
  .choices {
    flex: 1;
    min-height: 6rem;
    overflow-y: auto;
    margin: 0 calc(-1 * var(--lama-space-2));
    padding: 0 var(--lama-space-2);
  }
  fieldset {
    margin: 0 0 var(--lama-space-2);
    padding: 0;
    border: 0;
  }
  legend {
    padding: var(--lama-space-1) 0;
    font-size: var(--lama-font-size-xs);
    font-weight: var(--lama-weight-semibold);
    text-transform: uppercase;
    letter-spacing: 0.05em;
    color: var(--lama-muted);
  }
  .choice {
    display: flex;
    align-items: center;
    gap: var(--lama-space-3);
    padding: 6px var(--lama-space-2);
    border-radius: var(--lama-radius);
    cursor: pointer;
  }
  .choice:hover {
    background: var(--lama-surface-2);
  }
  .choice:has(input:checked) {
    background: var(--lama-accent-soft);
  }
  .avatar {
    display: grid;
    place-items: center;
    flex: none;
    width: 32px;
    height: 32px;
    border-radius: 50%;
    background: var(--avatar);
    color: var(--lama-avatar-text);
    font-size: var(--lama-font-size-xs);
    font-weight: var(--lama-weight-semibold);
  }
  .avatar.ai {
    background: linear-gradient(135deg, var(--lama-ai), color-mix(in srgb, var(--lama-ai) 55%, var(--lama-accent)));
    color: var(--lama-surface);
  }
  .who {
    display: grid;
    min-width: 0;
  }
  .name {
    font-weight: var(--lama-weight-medium);
  }
  .kind {
    font-size: var(--lama-font-size-xs);
    color: var(--lama-muted);
  }
  .empty {
    padding: var(--lama-space-4) var(--lama-space-2);
    font-size: var(--lama-font-size-sm);
  }
  label.field input {
    width: 100%;
  }
  .error-text {
    margin: 0;
    font-size: var(--lama-font-size-sm);
  }
  footer {
    display: flex;
    align-items: center;
    gap: var(--lama-space-2);
  }
  .count {
    flex: 1;
    font-size: var(--lama-font-size-sm);
    color: var(--lama-muted);
  }
`;
