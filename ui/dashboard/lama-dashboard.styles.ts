import { css } from 'lit';

export const styles = css`
  .tiles {
    list-style: none;
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
    gap: var(--lama-space-3);
    margin: 0 0 var(--lama-space-6);
    padding: 0;
  }
  .tile {
    display: grid;
    gap: 2px;
    padding: var(--lama-space-4) var(--lama-space-5);
  }
  .figure {
    font-size: var(--lama-font-size-xl);
    font-weight: var(--lama-weight-semibold);
    font-variant-numeric: tabular-nums;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    padding: var(--lama-space-2) var(--lama-space-4);
    text-align: left;
    border-top: 1px solid var(--lama-border);
  }
  thead th {
    border-top: 0;
    font-size: var(--lama-font-size-xs);
    font-weight: var(--lama-weight-semibold);
    text-transform: uppercase;
    letter-spacing: 0.05em;
    color: var(--lama-muted);
  }
  tbody th {
    font-weight: var(--lama-weight-medium);
  }
  .num {
    text-align: right;
    white-space: nowrap;
  }
  .bar-col {
    width: 30%;
  }
  .track {
    display: block;
    border-radius: 3px;
    background: var(--lama-surface-2);
  }
  .bar {
    display: block;
    height: 6px;
    border-radius: 3px;
    background: var(--lama-accent);
    opacity: 0.75;
  }
  .peer-name {
    font-weight: var(--lama-weight-medium);
  }
  progress {
    display: block;
    width: 100%;
    height: 6px;
    margin-top: var(--lama-space-2);
    appearance: none;
    border: 0;
    border-radius: 3px;
    overflow: hidden;
    background: var(--lama-surface-3);
  }
  progress::-webkit-progress-bar {
    background: var(--lama-surface-3);
  }
  progress::-webkit-progress-value {
    background: var(--lama-accent);
  }
  .rows > li.kind {
    align-items: flex-start;
  }
  .kind-name {
    width: 9rem;
    flex: none;
    display: grid;
  }
  .workers {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--lama-space-2);
  }
  .worker {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--lama-space-2);
  }
  .worker-error {
    flex-basis: 100%;
    color: var(--lama-danger);
    font-size: var(--lama-font-size-sm);
  }
`;
