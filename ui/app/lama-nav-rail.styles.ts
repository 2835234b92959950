import { css } from 'lit';

export const styles = css`
  :host {
    display: flex;
    flex-direction: column;
    width: 232px;
    height: 100%;
    box-sizing: border-box;
    padding: var(--lama-space-4) var(--lama-space-3);
    background: var(--lama-surface);
    border-right: 1px solid var(--lama-border);
  }
  .brand {
    display: flex;
    align-items: center;
    gap: var(--lama-space-3);
    padding: 0 var(--lama-space-2) var(--lama-space-5);
    font-size: var(--lama-font-size-lg);
    font-weight: var(--lama-weight-semibold);
    letter-spacing: 0.04em;
  }
  nav {
    flex: 1;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 2px;
  }
  a {
    display: flex;
    align-items: center;
    gap: var(--lama-space-3);
    padding: var(--lama-space-2) var(--lama-space-3);
    min-height: 36px;
    box-sizing: border-box;
    border-radius: var(--lama-radius-sm);
    color: var(--lama-muted);
    text-decoration: none;
    font-weight: var(--lama-weight-medium);
    transition: background var(--lama-duration) var(--lama-ease), color var(--lama-duration) var(--lama-ease);
  }
  a:hover {
    background: var(--lama-surface-2);
    color: var(--lama-text);
  }
  a[aria-current='page'] {
    background: var(--lama-accent-soft);
    color: var(--lama-accent);
  }
  a:focus-visible {
    outline: var(--lama-focus-outline);
    outline-offset: -2px;
  }
  .icon {
    flex: none;
  }
  .status {
    padding-top: var(--lama-space-3);
    border-top: 1px solid var(--lama-border);
  }
  @media (max-width: 760px) {
    :host {
      width: 64px;
      padding: var(--lama-space-3) var(--lama-space-2);
      align-items: center;
    }
    .label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    .brand {
      padding: 0 0 var(--lama-space-4);
    }
    a {
      justify-content: center;
      padding: var(--lama-space-2);
    }
  }
`;
