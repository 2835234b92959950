import { css } from 'lit';

/**
 * LAMA's design tokens as --lama-* custom properties, light and dark following the OS
 * (prefers-color-scheme). Every component includes `theme` first in its styles, so the tokens
 * are there even in a component tested alone. Names say the role, not the colour:
 *
 * - surfaces: --lama-bg (behind panes), --lama-surface (panes, cards), --lama-surface-2 (hover,
 *   sunken fields), --lama-surface-3 (selected); --lama-border, --lama-border-strong
 * - text: --lama-text, --lama-muted (secondary, ≥ 4.5:1 on surfaces), --lama-subtle (placeholders,
 *   icons; ≥ 3:1)
 * - roles: --lama-accent (+ -hover, -text on it, -soft tint), --lama-danger, --lama-warning,
 *   --lama-success (each + -soft), --lama-ai (AI contacts)
 * - chat: --lama-bubble-own(-text), --lama-bubble-other(-text), --lama-code-bg
 * - spacing --lama-space-1…7 (4 8 12 16 24 32 48 px); radii --lama-radius-sm, --lama-radius,
 *   --lama-radius-lg, --lama-radius-pill
 * - type: --lama-font, --lama-font-mono, --lama-font-size-xs…2xl, --lama-line-height,
 *   --lama-weight-medium / -semibold
 * - focus: --lama-focus-outline (for `outline`), --lama-focus (a box-shadow ring)
 * - depth and motion: --lama-shadow-sm / -md / -lg, --lama-duration, --lama-ease (0 ms when the
 *   user prefers reduced motion)
 */
export const theme = css`
  :host {
    color-scheme: light dark;

    --lama-bg: #f4f4f6;
    --lama-surface: #ffffff;
    --lama-surface-2: #f0f0f3;
    --lama-surface-3: #e6e7ee;
    --lama-border: #e0e0e6;
    --lama-border-strong: #c6c7d0;
    --lama-text: #1b1b1f;
    --lama-muted: #5d5e67;
    --lama-subtle: #84858f;
    --lama-accent: #3f51d4;
    --lama-accent-hover: #3243b6;
    --lama-accent-text: #ffffff;
    --lama-accent-soft: #e9ebfb;
    --lama-danger: #bf3329;
    --lama-danger-soft: #fbe9e7;
    --lama-warning: #9a5b00;
    --lama-warning-soft: #fdf1dc;
    --lama-success: #1d7a46;
    --lama-success-soft: #e3f4ea;
    --lama-ai: #7a4fd0;
    --lama-ai-soft: #f0eafb;

    --lama-bubble-own: var(--lama-accent);
    --lama-bubble-own-text: var(--lama-accent-text);
    --lama-bubble-other: var(--lama-surface-2);
    --lama-bubble-other-text: var(--lama-text);
    --lama-code-bg: #f3f3f6;

    --lama-space-1: 4px;
    --lama-space-2: 8px;
    --lama-space-3: 12px;
    --lama-space-4: 16px;
    --lama-space-5: 24px;
    --lama-space-6: 32px;
    --lama-space-7: 48px;

    --lama-radius-sm: 6px;
    --lama-radius: 10px;
    --lama-radius-lg: 14px;
    --lama-radius-pill: 999px;

    --lama-font: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', sans-serif;
    --lama-font-mono: ui-monospace, 'SF Mono', 'Cascadia Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace;
    --lama-font-size-xs: 0.75rem;
    --lama-font-size-sm: 0.8125rem;
    --lama-font-size-md: 0.9375rem;
    --lama-font-size-lg: 1.0625rem;
    --lama-font-size-xl: 1.375rem;
    --lama-font-size-2xl: 1.75rem;
    --lama-line-height: 1.5;
    --lama-weight-medium: 500;
    --lama-weight-semibold: 600;

    --lama-focus-outline: 2px solid var(--lama-accent);
    --lama-focus: 0 0 0 3px color-mix(in srgb, var(--lama-accent) 35%, transparent);

    --lama-shadow-sm: 0 1px 2px rgb(20 20 40 / 0.06);
    --lama-shadow-md: 0 2px 8px rgb(20 20 40 / 0.08), 0 1px 2px rgb(20 20 40 / 0.06);
    --lama-shadow-lg: 0 12px 32px rgb(20 20 40 / 0.14), 0 2px 6px rgb(20 20 40 / 0.08);
    --lama-duration: 140ms;
    --lama-ease: cubic-bezier(0.2, 0, 0, 1);

    font-family: var(--lama-font);
    font-size: var(--lama-font-size-md);
    line-height: var(--lama-line-height);
    color: var(--lama-text);
    -webkit-font-smoothing: antialiased;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --lama-bg: #121316;
      --lama-surface: #1a1b1f;
      --lama-surface-2: #222328;
      --lama-surface-3: #2c2e35;
      --lama-border: #2d2f35;
      --lama-border-strong: #3e4048;
      --lama-text: #ebebef;
      --lama-muted: #a5a6af;
      --lama-subtle: #7c7d87;
      --lama-accent: #8e9cff;
      --lama-accent-hover: #a7b2ff;
      --lama-accent-text: #0e1130;
      --lama-accent-soft: #262a4a;
      --lama-danger: #ff8f85;
      --lama-danger-soft: #3a2222;
      --lama-warning: #f0b75e;
      --lama-warning-soft: #3a2f1b;
      --lama-success: #72d39c;
      --lama-success-soft: #1c3326;
      --lama-ai: #c2a4ff;
      --lama-ai-soft: #2e2642;
      --lama-bubble-own: #3b4796;
      --lama-bubble-own-text: #f1f2ff;
      --lama-code-bg: #15161a;
      --lama-shadow-sm: 0 1px 2px rgb(0 0 0 / 0.4);
      --lama-shadow-md: 0 2px 8px rgb(0 0 0 / 0.45), 0 1px 2px rgb(0 0 0 / 0.4);
      --lama-shadow-lg: 0 12px 32px rgb(0 0 0 / 0.55), 0 2px 6px rgb(0 0 0 / 0.4);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    :host {
      --lama-duration: 0ms;
    }
  }
  @media (forced-colors: active) {
    :host {
      --lama-focus-outline: 2px solid Highlight;
      --lama-focus: 0 0 0 3px Highlight;
    }
  }
`;

/**
 * Shared controls for views: buttons (`button` is neutral; `.primary`, `.danger`, `.ghost`,
 * `.small`), fields (`input`, `select`, `textarea`, `label.field`), status badges
 * (`.badge.ok|warn|error|busy`), `.card`, `.empty` states and `.visually-hidden`. Include after
 * `theme`. Focus is always visible on keyboard focus and never on mouse clicks.
 */
export const controls = css`
  button {
    font: inherit;
    font-size: var(--lama-font-size-sm);
    font-weight: var(--lama-weight-medium);
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--lama-space-2);
    min-height: 34px;
    padding: 0 var(--lama-space-4);
    border: 1px solid var(--lama-border-strong);
    border-radius: var(--lama-radius-sm);
    background: var(--lama-surface);
    color: var(--lama-text);
    cursor: pointer;
    transition: background var(--lama-duration) var(--lama-ease), border-color var(--lama-duration) var(--lama-ease);
  }
  button:hover:not([disabled]) {
    background: var(--lama-surface-2);
  }
  button.primary {
    background: var(--lama-accent);
    border-color: var(--lama-accent);
    color: var(--lama-accent-text);
  }
  button.primary:hover:not([disabled]) {
    background: var(--lama-accent-hover);
    border-color: var(--lama-accent-hover);
  }
  button.danger {
    color: var(--lama-danger);
  }
  button.danger:hover:not([disabled]) {
    background: var(--lama-danger-soft);
    border-color: var(--lama-danger);
  }
  button.ghost {
    border-color: transparent;
    background: transparent;
  }
  button.small {
    min-height: 28px;
    padding: 0 var(--lama-space-3);
    font-size: var(--lama-font-size-xs);
  }
  button[disabled] {
    opacity: 0.55;
    cursor: default;
  }
  input,
  select,
  textarea {
    font: inherit;
    font-size: var(--lama-font-size-md);
    min-height: 36px;
    box-sizing: border-box;
    padding: var(--lama-space-2) var(--lama-space-3);
    border: 1px solid var(--lama-border-strong);
    border-radius: var(--lama-radius-sm);
    background: var(--lama-surface);
    color: var(--lama-text);
  }
  input::placeholder,
  textarea::placeholder {
    color: var(--lama-subtle);
  }
  input[type='checkbox'],
  input[type='radio'] {
    min-height: 0;
    width: 16px;
    height: 16px;
    margin: 0;
    accent-color: var(--lama-accent);
  }
  :is(button, input, select, textarea, a, [tabindex]):focus-visible {
    outline: var(--lama-focus-outline);
    outline-offset: 2px;
  }
  label.field {
    display: grid;
    gap: var(--lama-space-1);
    font-size: var(--lama-font-size-sm);
    font-weight: var(--lama-weight-medium);
    color: var(--lama-muted);
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 1px var(--lama-space-2);
    border-radius: var(--lama-radius-pill);
    font-size: var(--lama-font-size-xs);
    font-weight: var(--lama-weight-medium);
    background: var(--lama-surface-2);
    color: var(--lama-muted);
    white-space: nowrap;
  }
  .badge::before {
    content: '';
    width: 7px;
    height: 7px;
    border-radius: 50%;
    background: currentColor;
  }
  .badge.ok {
    background: var(--lama-success-soft);
    color: var(--lama-success);
  }
  .badge.warn {
    background: var(--lama-warning-soft);
    color: var(--lama-warning);
  }
  .badge.error {
    background: var(--lama-danger-soft);
    color: var(--lama-danger);
  }
  .badge.busy {
    background: var(--lama-accent-soft);
    color: var(--lama-accent);
  }
  .card {
    background: var(--lama-surface);
    border: 1px solid var(--lama-border);
    border-radius: var(--lama-radius);
    box-shadow: var(--lama-shadow-sm);
  }
  .empty {
    margin: 0;
    color: var(--lama-muted);
    text-align: center;
    padding: var(--lama-space-6) var(--lama-space-4);
  }
  .error-text {
    color: var(--lama-danger);
  }
  code,
  .mono {
    font-family: var(--lama-font-mono);
    font-size: 0.9em;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
