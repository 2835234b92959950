import { css, unsafeCSS } from 'lit';
import { METRICS } from './statechart-layout.ts';

export const styles = css`
  :host {
    display: block;
    position: relative;
    min-height: 0;
    background-color: var(--lama-chart-canvas);
    background-image: radial-gradient(var(--lama-chart-dot) 1px, transparent 1px);
    background-size: 16px 16px;
  }
  .viewport {
    position: absolute;
    inset: 0;
    display: grid;
    overflow: auto;
    cursor: grab;
    outline: none;
  }
  .viewport:focus-visible {
    box-shadow: inset 0 0 0 2px var(--lama-accent);
  }
  .viewport.dragging {
    cursor: grabbing;
    user-select: none;
  }
  .empty-chart {
    display: grid;
    place-items: center;
    cursor: default;
  }
  svg {
    display: block;
    /* Centred while smaller than the view; scrolls from its edge when larger. */
    margin: auto;
    overflow: visible;
  }
  .toolbar {
    position: absolute;
    z-index: 1;
    right: var(--lama-space-3);
    bottom: var(--lama-space-3);
    display: flex;
    align-items: center;
    gap: 2px;
    padding: 2px;
    background: var(--lama-surface);
    border: 1px solid var(--lama-border);
    border-radius: var(--lama-radius-sm);
    box-shadow: var(--lama-shadow-md);
  }
  .toolbar button {
    min-width: 28px;
    padding: 0 var(--lama-space-2);
    font-size: var(--lama-font-size-sm);
  }
  .toolbar output {
    min-width: 3.2em;
    text-align: center;
    font-size: var(--lama-font-size-xs);
    font-variant-numeric: tabular-nums;
    color: var(--lama-muted);
  }

  /* States */
  .state .box {
    fill: var(--lama-chart-state);
    stroke: var(--lama-chart-border);
    stroke-width: 1;
    transition: fill var(--lama-duration) var(--lama-ease), stroke var(--lama-duration) var(--lama-ease);
  }
  .state.compound .box {
    fill: var(--lama-chart-compound);
  }
  .state.machine .box {
    fill: var(--lama-chart-machine);
    stroke: var(--lama-border);
  }
  .state.region .box {
    fill: none;
    stroke-dasharray: 5 4;
  }
  .state .final-ring {
    fill: none;
    stroke: var(--lama-chart-border);
  }
  .state .title {
    font: ${unsafeCSS(METRICS.title.font)};
    fill: var(--lama-chart-title);
  }
  .state.machine .title {
    font-size: 13.5px;
  }
  .state .line {
    font: ${unsafeCSS(METRICS.line.font)};
    fill: var(--lama-chart-line);
    dominant-baseline: middle;
  }
  .state .line .keyword {
    fill: var(--lama-subtle);
  }
  .state.active:not(.machine) .box {
    stroke: var(--lama-chart-active);
    stroke-width: 1.5;
  }
  .state.active.leaf .box,
  .state.active.final .box {
    fill: var(--lama-chart-active-fill);
    stroke-width: 2;
    filter: drop-shadow(0 0 5px color-mix(in srgb, var(--lama-chart-active) 45%, transparent));
  }
  .state.active:not(.machine) > .title {
    fill: var(--lama-chart-active-text);
  }
  .state.active.final .final-ring {
    stroke: var(--lama-chart-active);
  }
  .line.fired {
    animation: line-fired 1.6s var(--lama-ease);
  }

  /* Edges */
  .initial {
    fill: var(--lama-chart-title);
  }
  .edge {
    fill: none;
    stroke: var(--lama-chart-edge);
    stroke-width: 1.25;
  }
  .edge.next {
    stroke: var(--lama-chart-next);
    stroke-width: 1.5;
  }
  .arrow {
    fill: var(--lama-chart-edge);
  }
  .arrow.next {
    fill: var(--lama-chart-next);
  }
  .arrow.fired {
    fill: var(--lama-chart-fired);
  }
  .edge-label rect {
    fill: var(--lama-chart-label);
    stroke: var(--lama-chart-border);
    stroke-width: 1;
  }
  .edge-label text {
    font: ${unsafeCSS(METRICS.label.font)};
    fill: var(--lama-chart-label-text);
    text-anchor: middle;
    dominant-baseline: middle;
  }
  .edge-label.next rect {
    fill: var(--lama-chart-active-fill);
    stroke: var(--lama-chart-next);
  }
  .edge-label.next text {
    fill: var(--lama-chart-active-text);
  }
  .fired-layer {
    pointer-events: none;
  }
  .edge.fired {
    stroke: var(--lama-chart-fired);
    stroke-width: 2.5;
    stroke-dasharray: 8 6;
    animation: edge-fired 1.6s linear forwards;
  }
  .edge-label.fired {
    animation: fade-out 1.6s ease-in forwards;
  }
  .edge-label.fired rect {
    fill: var(--lama-warning-soft);
    stroke: var(--lama-chart-fired);
    stroke-width: 1.5;
  }
  .edge-label.fired text {
    fill: var(--lama-chart-fired);
    font-weight: 600;
  }
  @keyframes edge-fired {
    from {
      stroke-dashoffset: 56;
      opacity: 1;
    }
    70% {
      opacity: 1;
    }
    to {
      stroke-dashoffset: 0;
      opacity: 0;
    }
  }
  @keyframes fade-out {
    70% {
      opacity: 1;
    }
    to {
      opacity: 0;
    }
  }
  @keyframes line-fired {
    from {
      fill: var(--lama-chart-fired);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .edge.fired,
    .edge-label.fired {
      animation-duration: 1.6s;
      animation-name: fade-out;
      stroke-dasharray: none;
    }
  }
`;
