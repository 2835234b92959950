import { css } from 'lit';

/** Colours and spacing as --lama-* properties, light and dark following the OS. */
export const theme = css`
  :host {
    --lama-bg: #f7f7f5;
    --lama-surface: #ffffff;
    --lama-text: #1d1d1f;
    --lama-muted: #6b6b70;
    --lama-accent: #3a5ccc;
    --lama-accent-text: #ffffff;
    --lama-danger: #b3261e;
    --lama-border: #dcdce0;
    --lama-radius: 10px;
    --lama-focus: 0 0 0 3px color-mix(in srgb, var(--lama-accent) 40%, transparent);
    font-family: system-ui, -apple-system, 'Segoe UI', sans-serif;
    color: var(--lama-text);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --lama-bg: #16171a;
      --lama-surface: #202226;
      --lama-text: #ececef;
      --lama-muted: #9a9aa2;
      --lama-accent: #7d97f0;
      --lama-accent-text: #0d0f14;
      --lama-danger: #f2b8b5;
      --lama-border: #34363c;
    }
  }
`;
