import { css } from 'lit';

export const styles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    font-size: var(--lama-font-size-sm);
  }
  .filters {
    display: flex;
    align-items: center;
    gap: var(--lama-space-2);
    padding: var(--lama-space-2) var(--lama-space-3);
    border-bottom: 1px solid var(--lama-border);
    flex-wrap: wrap;
  }
  h2 {
    margin: 0 var(--lama-space-2) 0 0;
    font-size: var(--lama-font-size-xs);
    font-weight: var(--lama-weight-semibold);
    letter-spacing: 0.06em;
    text-transform: uppercase;
    color: var(--lama-muted);
  }
  select,
  input[type='search'] {
    min-height: 28px;
    padding: 2px var(--lama-space-2);
    font-size: var(--lama-font-size-sm);
  }
  select {
    max-width: 14rem;
  }
  input[type='search'] {
    width: 12rem;
  }
  .check {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    color: var(--lama-muted);
    white-space: nowrap;
  }
  .spacer {
    flex: 1;
  }
  .count {
    color: var(--lama-muted);
    font-size: var(--lama-font-size-xs);
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .paused {
    color: var(--lama-warning);
    font-weight: var(--lama-weight-semibold);
  }
  button[aria-pressed='true'] {
    background: var(--lama-warning-soft);
    border-color: var(--lama-warning);
    color: var(--lama-warning);
  }
  .table {
    position: relative;
    display: flex;
    flex-direction: column;
    flex: 1;
    min-height: 0;
  }
  .row {
    display: grid;
    grid-template-columns: 6.6rem minmax(8rem, 13rem) minmax(10rem, 1fr) minmax(10rem, 1.5fr);
    align-items: center;
    gap: var(--lama-space-3);
    width: 100%;
    box-sizing: border-box;
    height: 26px;
    padding: 0 var(--lama-space-3);
    contain: layout paint;
    border-bottom: 1px solid color-mix(in srgb, var(--lama-border) 60%, transparent);
    white-space: nowrap;
    cursor: pointer;
  }
  .row > span {
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .row.head {
    height: 24px;
    cursor: default;
    font-size: var(--lama-font-size-xs);
    font-weight: var(--lama-weight-semibold);
    color: var(--lama-muted);
    background: var(--lama-surface-2);
    border-bottom: 1px solid var(--lama-border);
  }
  .row:not(.head):hover {
    background: var(--lama-surface-2);
  }
  .row.selected {
    background: color-mix(in srgb, var(--lama-accent-soft) 70%, transparent);
  }
  .body {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overflow-x: hidden;
  }
  .spacer-rows {
    position: relative;
  }
  .window {
    position: absolute;
    inset: 0 0 auto;
  }
  .time {
    font-family: var(--lama-font-mono);
    font-size: 11px;
    color: var(--lama-subtle);
    font-variant-numeric: tabular-nums;
  }
  .actor {
    font-weight: var(--lama-weight-medium);
  }
  .source {
    display: inline-block;
    width: 6px;
    height: 6px;
    margin-right: 6px;
    border-radius: 2px;
    vertical-align: 1px;
  }
  .source.node {
    background: var(--lama-accent);
  }
  .source.browser {
    background: var(--lama-ai);
  }
  .event,
  .transition {
    font-family: var(--lama-font-mono);
    font-size: 11.5px;
  }
  .event {
    color: var(--lama-text);
  }
  .event.internal {
    color: var(--lama-log-internal);
  }
  .sender {
    color: var(--lama-subtle);
    font-family: var(--lama-font);
    font-size: var(--lama-font-size-xs);
  }
  .from {
    color: var(--lama-muted);
  }
  .arrow {
    margin: 0 6px;
    color: var(--lama-subtle);
  }
  .to {
    color: var(--lama-accent);
    font-weight: var(--lama-weight-semibold);
  }
  .same {
    color: var(--lama-subtle);
  }
  .empty {
    margin: auto;
    padding: var(--lama-space-5);
    color: var(--lama-subtle);
    text-align: center;
  }
`;
