import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    overflow-y: auto;
    padding: var(--lama-space-2) 0;
    font-size: var(--lama-font-size-sm);
  }
  section + section {
    margin-top: var(--lama-space-3);
  }
  h2 {
    display: flex;
    align-items: center;
    gap: var(--lama-space-2);
    margin: 0;
    padding: var(--lama-space-1) var(--lama-space-3);
    font-size: var(--lama-font-size-xs);
    font-weight: var(--lama-weight-semibold);
    letter-spacing: 0.06em;
    text-transform: uppercase;
    color: var(--lama-muted);
  }
  h2 .count {
    margin-left: auto;
    font-weight: var(--lama-weight-medium);
    color: var(--lama-subtle);
    letter-spacing: 0;
  }
  h2 .badge {
    text-transform: none;
    letter-spacing: 0;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  li {
    display: grid;
    grid-template-columns: 14px 10px minmax(3.5rem, auto) minmax(0, 1fr);
    align-items: center;
    gap: 6px;
    height: 28px;
    padding: 0 var(--lama-space-3) 0 calc(var(--lama-space-2) + var(--level) * 14px);
    cursor: pointer;
    border-left: 2px solid transparent;
    white-space: nowrap;
  }
  li:hover {
    background: var(--lama-surface-2);
  }
  li.ended .name,
  li.ended .state {
    opacity: 0.6;
  }
  li.selected {
    background: var(--lama-surface-3);
    border-left-color: var(--lama-accent);
  }
  li:focus-visible {
    outline: var(--lama-focus-outline);
    outline-offset: -2px;
  }
  .twisty {
    color: var(--lama-subtle);
    font-size: 10px;
    text-align: center;
  }
  .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--lama-success);
    box-shadow: 0 0 0 2px color-mix(in srgb, var(--lama-success) 22%, transparent);
  }
  .dot.done {
    background: var(--lama-accent);
    box-shadow: none;
  }
  .dot.error {
    background: var(--lama-danger);
    box-shadow: 0 0 0 2px color-mix(in srgb, var(--lama-danger) 25%, transparent);
  }
  .dot.stopped {
    background: var(--lama-subtle);
    box-shadow: none;
  }
  .name {
    overflow: hidden;
    text-overflow: ellipsis;
    font-weight: var(--lama-weight-medium);
  }
  .state {
    overflow: hidden;
    text-overflow: ellipsis;
    text-align: right;
    font-family: var(--lama-font-mono);
    font-size: 11px;
    color: var(--lama-muted);
  }
  li.selected .state {
    color: var(--lama-accent);
  }
  .none {
    margin: var(--lama-space-1) var(--lama-space-3);
    color: var(--lama-subtle);
  }
`;
