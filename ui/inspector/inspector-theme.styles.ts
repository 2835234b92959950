import { css } from 'lit';

/**
 * The inspector's own tokens, derived from ui/theme.styles.ts so they follow light and dark:
 * the chart's canvas, states, edges and their labels, what is active, and the last transition.
 */
export const inspectorTheme = css`
  :host {
    --lama-chart-canvas: var(--lama-bg);
    --lama-chart-dot: color-mix(in srgb, var(--lama-border-strong) 70%, transparent);
    --lama-chart-machine: color-mix(in srgb, var(--lama-surface) 55%, transparent);
    --lama-chart-state: var(--lama-surface);
    --lama-chart-compound: color-mix(in srgb, var(--lama-surface-2) 55%, transparent);
    --lama-chart-border: var(--lama-border-strong);
    --lama-chart-title: var(--lama-text);
    --lama-chart-line: var(--lama-muted);
    --lama-chart-edge: color-mix(in srgb, var(--lama-muted) 70%, transparent);
    --lama-chart-label: var(--lama-surface);
    --lama-chart-label-text: var(--lama-muted);
    --lama-chart-active: var(--lama-accent);
    --lama-chart-active-fill: var(--lama-accent-soft);
    --lama-chart-active-text: var(--lama-accent);
    --lama-chart-next: color-mix(in srgb, var(--lama-accent) 55%, var(--lama-muted));
    --lama-chart-fired: var(--lama-warning);
    --lama-log-internal: var(--lama-subtle);
  }
`;
