import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    height: auto;
    overflow: visible;
    background: none;
  }
  .card > .empty {
    padding: var(--lama-space-4);
  }
  h2.spaced {
    margin-top: var(--lama-space-5);
  }
  .add-folder {
    display: flex;
    gap: var(--lama-space-2);
    padding: var(--lama-space-3) var(--lama-space-4);
    border-top: 1px solid var(--lama-border);
  }
  .server {
    margin-bottom: var(--lama-space-3);
  }
  .server > header {
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    gap: var(--lama-space-3);
    padding: var(--lama-space-3) var(--lama-space-4);
    border-bottom: 1px solid var(--lama-border);
  }
  .server > header h3 {
    display: flex;
    align-items: baseline;
    gap: var(--lama-space-2);
  }
  .all {
    margin-left: auto;
    display: flex;
    align-items: center;
    gap: var(--lama-space-2);
    font-size: var(--lama-font-size-sm);
    color: var(--lama-muted);
  }
  select {
    min-height: 30px;
    padding: 2px var(--lama-space-2);
    font-size: var(--lama-font-size-sm);
  }
  .tag {
    margin-left: var(--lama-space-1);
    padding: 0 6px;
    border-radius: var(--lama-radius-sm);
    font-size: var(--lama-font-size-xs);
    font-weight: var(--lama-weight-medium);
  }
  .tag.reads {
    background: var(--lama-surface-2);
    color: var(--lama-muted);
  }
  .tag.writes {
    background: var(--lama-warning-soft);
    color: var(--lama-warning);
  }
`;
