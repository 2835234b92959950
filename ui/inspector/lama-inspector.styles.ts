import { css } from 'lit';

export const styles = css`
  :host {
    display: grid;
    grid-template-columns: minmax(15rem, 19rem) minmax(0, 1fr);
    height: 100%;
    min-height: 32rem;
    overflow: hidden;
    background: var(--lama-border);
    gap: 1px;
  }
  .side,
  .main {
    display: flex;
    flex-direction: column;
    min-width: 0;
    min-height: 0;
    gap: 1px;
  }
  .pane {
    display: flex;
    flex-direction: column;
    min-width: 0;
    min-height: 0;
    background: var(--lama-surface);
  }
  .tree-pane {
    flex: 1 1 55%;
  }
  .context-pane {
    flex: 1 1 45%;
  }
  .chart-pane {
    flex: 1 1 auto;
    background: var(--lama-chart-canvas);
  }
  .log-pane {
    flex: 0 0 var(--log-height, 28%);
  }
  .splitter {
    flex: 0 0 5px;
    margin: -3px 0;
    z-index: 2;
    cursor: row-resize;
    background: transparent;
    transition: background var(--lama-duration) var(--lama-ease);
  }
  .splitter:hover,
  .splitter:focus-visible {
    background: var(--lama-accent);
    outline: none;
  }
  .pane-head {
    display: flex;
    align-items: center;
    gap: var(--lama-space-2);
    min-height: 40px;
    box-sizing: border-box;
    padding: 0 var(--lama-space-3);
    border-bottom: 1px solid var(--lama-border);
  }
  .pane-head h2 {
    margin: 0;
    font-size: var(--lama-font-size-xs);
    font-weight: var(--lama-weight-semibold);
    letter-spacing: 0.06em;
    text-transform: uppercase;
    color: var(--lama-muted);
  }
  .hint {
    margin-left: auto;
    font-size: var(--lama-font-size-xs);
    color: var(--lama-subtle);
    cursor: help;
    border-bottom: 1px dotted var(--lama-subtle);
  }
  lama-actor-tree {
    flex: 1;
    min-height: 0;
  }
  .chart-head {
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    gap: var(--lama-space-2) var(--lama-space-3);
    min-height: 40px;
    box-sizing: border-box;
    padding: var(--lama-space-1) var(--lama-space-4);
    background: var(--lama-surface);
    border-bottom: 1px solid var(--lama-border);
  }
  .chart-head h1 {
    margin: 0;
    font-size: var(--lama-font-size-lg);
    font-weight: var(--lama-weight-semibold);
    letter-spacing: -0.01em;
    max-width: 22rem;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .tag {
    padding: 1px var(--lama-space-2);
    border-radius: var(--lama-radius-sm);
    background: var(--lama-surface-2);
    color: var(--lama-muted);
    font-size: var(--lama-font-size-xs);
    font-family: var(--lama-font-mono);
  }
  .tag.source {
    font-family: var(--lama-font);
  }
  .tag.source.node {
    color: var(--lama-accent);
    background: var(--lama-accent-soft);
  }
  .tag.source.browser {
    color: var(--lama-ai);
    background: var(--lama-ai-soft);
  }
  .current {
    display: inline-flex;
    align-items: baseline;
    gap: var(--lama-space-1);
    min-width: 0;
    font-size: var(--lama-font-size-xs);
    color: var(--lama-subtle);
  }
  .current code {
    color: var(--lama-text);
    font-size: 12px;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    max-width: 26rem;
  }
  .current:first-of-type code {
    color: var(--lama-accent);
    font-weight: var(--lama-weight-semibold);
  }
  lama-statechart {
    flex: 1;
    min-height: 0;
  }
  .chart-note {
    max-width: 28rem;
    margin: 0;
    padding: var(--lama-space-5);
    color: var(--lama-muted);
    text-align: center;
  }
  .context-body {
    flex: 1;
    min-height: 0;
    overflow: auto;
    padding: var(--lama-space-3);
  }
  .details {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr);
    gap: 2px var(--lama-space-3);
    margin: var(--lama-space-4) 0 0;
    padding-top: var(--lama-space-3);
    border-top: 1px solid var(--lama-border);
    font-size: var(--lama-font-size-xs);
  }
  .details dt {
    color: var(--lama-muted);
  }
  .details dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  button.link {
    min-height: 0;
    padding: 0;
    border: 0;
    background: none;
    color: var(--lama-accent);
    font-size: inherit;
    text-decoration: underline;
  }
  .none {
    color: var(--lama-subtle);
  }
  lama-event-log {
    flex: 1;
  }
  @media (max-width: 900px) {
    :host {
      grid-template-columns: minmax(0, 1fr);
      grid-template-rows: minmax(12rem, 35%) minmax(0, 1fr);
    }
    .side {
      flex-direction: row;
    }
    .tree-pane,
    .context-pane {
      flex: 1 1 50%;
    }
  }
`;
