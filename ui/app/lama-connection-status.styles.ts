import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    font-size: var(--lama-font-size-sm);
  }
  .summary {
    /* The rows say it all in the wide rail; the summary is what a screen reader hears, and the dot of the narrow rail. */
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    display: flex;
    align-items: center;
    gap: var(--lama-space-2);
    padding: var(--lama-space-1) var(--lama-space-2);
    font-weight: var(--lama-weight-medium);
  }
  .dot {
    flex: none;
    width: 9px;
    height: 9px;
    border-radius: 50%;
    background: currentColor;
  }
  .ok {
    color: var(--lama-success);
  }
  .busy {
    color: var(--lama-accent);
  }
  .warn {
    color: var(--lama-warning);
  }
  .error {
    color: var(--lama-danger);
  }
  .summary .text {
    color: var(--lama-text);
  }
  .summary.busy .dot,
  .summary.warn .dot {
    animation: pulse 1.4s ease-in-out infinite;
  }
  @keyframes pulse {
    50% {
      opacity: 0.35;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .summary .dot {
      animation: none !important;
    }
  }
  progress {
    display: block;
    width: calc(100% - 2 * var(--lama-space-2));
    height: 4px;
    margin: 2px var(--lama-space-2) var(--lama-space-1);
    appearance: none;
    border: 0;
    border-radius: 2px;
    background: var(--lama-surface-3);
    overflow: hidden;
  }
  progress::-webkit-progress-bar {
    background: var(--lama-surface-3);
  }
  progress::-webkit-progress-value {
    background: var(--lama-accent);
  }
  .rows {
    list-style: none;
    margin: var(--lama-space-1) 0 0;
    padding: 0 var(--lama-space-2);
    display: grid;
    gap: 3px;
    font-size: var(--lama-font-size-xs);
  }
  .row {
    display: flex;
    align-items: baseline;
    gap: var(--lama-space-2);
  }
  .row .dot {
    flex: none;
    width: 7px;
    height: 7px;
    transform: translateY(-1px);
  }
  .row .text {
    color: var(--lama-muted);
  }
  .row.busy .dot,
  .row.warn .dot {
    animation: pulse 1.4s ease-in-out infinite;
  }
  @media (max-width: 760px) {
    .summary {
      position: static;
      width: auto;
      height: auto;
      clip-path: none;
      justify-content: center;
    }
    .summary .text,
    .rows,
    progress {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
  }
`;
