import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    position: relative;
    min-height: 0;
    overflow: hidden;
  }
  lit-virtualizer {
    height: 100%;
    min-height: 0;
    overscroll-behavior: contain;
    /* Rows span the scroller (so it scrolls under the pointer anywhere); content keeps to a column. */
    --gutter: max(var(--lama-space-5), calc((100% - var(--lama-chat-max-width)) / 2 + var(--lama-space-5)));
  }
  lit-virtualizer:focus-visible {
    outline: var(--lama-focus-outline);
    outline-offset: -2px;
  }
  lit-virtualizer > * {
    width: 100%;
    box-sizing: border-box;
    /* A row's layout and style never reach outside it: new rows cost only themselves. */
    contain: layout style;
    padding-left: var(--gutter);
    padding-right: var(--gutter);
  }
  lit-virtualizer > :last-child {
    padding-bottom: var(--lama-space-3);
  }
  .older {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: var(--lama-space-2);
    min-height: 40px;
    font-size: var(--lama-font-size-sm);
    color: var(--lama-muted);
  }
  .spinner {
    width: 14px;
    height: 14px;
    border: 2px solid var(--lama-border-strong);
    border-top-color: var(--lama-accent);
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  .intro {
    padding-top: var(--lama-space-6);
    padding-bottom: var(--lama-space-3);
  }
  .intro h2 {
    margin: 0 0 var(--lama-space-1);
    font-size: var(--lama-font-size-xl);
    font-weight: var(--lama-weight-medium);
  }
  .intro strong {
    font-weight: var(--lama-weight-semibold);
  }
  .intro p {
    margin: 0;
    color: var(--lama-muted);
  }

  .day {
    display: flex;
    align-items: center;
    gap: var(--lama-space-3);
    padding-top: var(--lama-space-4);
    padding-bottom: var(--lama-space-1);
    font-size: var(--lama-font-size-xs);
    font-weight: var(--lama-weight-semibold);
    color: var(--lama-muted);
  }
  .day::before,
  .day::after {
    content: '';
    flex: 1;
    border-top: 1px solid var(--lama-border);
  }
  .day span {
    padding: 2px var(--lama-space-3);
    border: 1px solid var(--lama-border);
    border-radius: var(--lama-radius-pill);
    background: var(--lama-surface);
  }

  .row {
    display: grid;
    grid-template-columns: 36px minmax(0, 1fr);
    column-gap: var(--lama-space-3);
    padding-top: 1px;
    padding-bottom: 1px;
  }
  .row.first {
    padding-top: var(--lama-space-3);
  }
  .row:not(.system):not(.stream):hover {
    background: color-mix(in srgb, var(--lama-surface-2) 70%, transparent);
  }
  .gutter-time {
    align-self: start;
    padding-top: 3px;
    font-size: 0.6875rem;
    color: var(--lama-subtle);
    text-align: right;
    visibility: hidden;
    white-space: nowrap;
  }
  .row:hover .gutter-time {
    visibility: visible;
  }
  .avatar {
    display: grid;
    place-items: center;
    width: 36px;
    height: 36px;
    border-radius: 50%;
    background: var(--avatar);
    color: var(--lama-avatar-text);
    font-size: var(--lama-font-size-sm);
    font-weight: var(--lama-weight-semibold);
    letter-spacing: 0.02em;
    user-select: none;
  }
  .avatar.ai {
    background: linear-gradient(135deg, var(--lama-ai), color-mix(in srgb, var(--lama-ai) 55%, var(--lama-accent)));
    color: var(--lama-surface);
  }
  .body {
    min-width: 0;
  }
  .meta {
    display: flex;
    align-items: baseline;
    flex-wrap: wrap;
    gap: var(--lama-space-2);
    line-height: 1.3;
    margin-bottom: 2px;
  }
  .name {
    font-weight: var(--lama-weight-semibold);
  }
  .meta time,
  .phase {
    font-size: var(--lama-font-size-xs);
    color: var(--lama-subtle);
  }
  .phase {
    color: var(--lama-ai);
    font-weight: var(--lama-weight-medium);
  }
  .ai-badge {
    align-self: center;
    padding: 0 5px;
    border-radius: 4px;
    background: var(--lama-ai-soft);
    color: var(--lama-ai);
    font-size: 0.625rem;
    font-weight: var(--lama-weight-semibold);
    letter-spacing: 0.06em;
    line-height: 16px;
  }
  .stop {
    margin-left: auto;
    align-self: center;
  }

  .text {
    overflow-wrap: anywhere;
  }
  .markdown > :first-child {
    margin-top: 0;
  }
  .markdown > :last-child {
    margin-bottom: 0;
  }
  .markdown p {
    margin: 0 0 var(--lama-space-2);
  }
  .markdown h1,
  .markdown h2,
  .markdown h3,
  .markdown h4,
  .markdown h5,
  .markdown h6 {
    margin: var(--lama-space-3) 0 var(--lama-space-1);
    font-size: var(--lama-font-size-lg);
    line-height: 1.3;
  }
  .markdown h1 {
    font-size: var(--lama-font-size-xl);
  }
  .markdown ul,
  .markdown ol {
    margin: 0 0 var(--lama-space-2);
    padding-left: 1.4em;
  }
  .markdown li + li {
    margin-top: 2px;
  }
  .markdown a {
    color: var(--lama-accent);
    text-underline-offset: 2px;
  }
  .markdown blockquote {
    margin: 0 0 var(--lama-space-2);
    padding-left: var(--lama-space-3);
    border-left: 3px solid var(--lama-border-strong);
    color: var(--lama-muted);
  }
  .markdown hr {
    border: 0;
    border-top: 1px solid var(--lama-border);
  }
  .markdown :not(pre) > code {
    padding: 1px 5px;
    border-radius: 4px;
    background: var(--lama-code-bg);
    border: 1px solid var(--lama-border);
    font-size: 0.875em;
  }
  .markdown table {
    border-collapse: collapse;
    margin: 0 0 var(--lama-space-2);
    font-size: var(--lama-font-size-sm);
    display: block;
    overflow-x: auto;
  }
  .markdown th,
  .markdown td {
    padding: 4px 10px;
    border: 1px solid var(--lama-border);
    text-align: left;
  }
  .markdown th {
    background: var(--lama-surface-2);
  }
  .markdown .code {
    margin: var(--lama-space-1) 0 var(--lama-space-2);
    border: 1px solid var(--lama-border);
    border-radius: var(--lama-radius-sm);
    background: var(--lama-code-bg);
    overflow: hidden;
  }
  .markdown .code-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    padding: 2px 4px 2px var(--lama-space-3);
    border-bottom: 1px solid var(--lama-border);
    font-size: var(--lama-font-size-xs);
    color: var(--lama-muted);
  }
  .markdown .copy {
    min-height: 24px;
    padding: 0 var(--lama-space-2);
    border: 0;
    background: transparent;
    font-size: var(--lama-font-size-xs);
    color: var(--lama-muted);
  }
  .markdown pre {
    margin: 0;
    padding: var(--lama-space-3);
    overflow-x: auto;
    font-family: var(--lama-font-mono);
    font-size: var(--lama-font-size-sm);
    line-height: 1.5;
    tab-size: 2;
  }
  .markdown pre code {
    font-size: inherit;
  }
  .markdown input[type='checkbox'] {
    vertical-align: middle;
    margin-right: 4px;
  }
  .writing > :last-child::after {
    content: '';
    display: inline-block;
    width: 2px;
    height: 1.1em;
    margin-left: 2px;
    vertical-align: text-bottom;
    background: var(--lama-caret);
    animation: blink 1s steps(2, start) infinite;
  }
  .typing {
    display: inline-flex;
    gap: 4px;
    padding: 8px 0 4px;
  }
  .typing span {
    width: 6px;
    height: 6px;
    border-radius: 50%;
    background: var(--lama-ai);
    opacity: 0.35;
    animation: pulse 1.2s ease-in-out infinite;
  }
  .typing span:nth-child(2) {
    animation-delay: 0.15s;
  }
  .typing span:nth-child(3) {
    animation-delay: 0.3s;
  }
  lama-approval-card {
    margin-top: var(--lama-space-2);
    max-width: 680px;
  }

  .incomplete {
    display: inline-block;
    margin: var(--lama-space-1) 0 0;
    padding: 0 var(--lama-space-2);
    border-radius: var(--lama-radius-pill);
    background: var(--lama-warning-soft);
    color: var(--lama-warning);
    font-size: var(--lama-font-size-xs);
  }
  .status {
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    gap: var(--lama-space-2);
    margin: 2px 0 0;
    font-size: var(--lama-font-size-xs);
    color: var(--lama-subtle);
  }
  .pending:not(.failed) .text {
    opacity: 0.65;
  }
  .pending.failed .text {
    color: var(--lama-muted);
  }
  .attachments {
    margin: var(--lama-space-1) 0 0;
    padding: 0;
    list-style: none;
    font-size: var(--lama-font-size-sm);
  }
  .attachments li {
    display: inline-flex;
    gap: var(--lama-space-2);
    padding: 4px 10px;
    border: 1px solid var(--lama-border);
    border-radius: var(--lama-radius-sm);
  }
  .attachments span {
    color: var(--lama-subtle);
  }

  .row.system {
    display: block;
    padding-top: var(--lama-space-2);
    padding-bottom: var(--lama-space-2);
  }
  .row.system .notice {
    margin-left: 48px;
  }
  .notice {
    display: flex;
    align-items: center;
    gap: var(--lama-space-3);
    padding: var(--lama-space-2) var(--lama-space-3);
    border: 1px solid color-mix(in srgb, var(--lama-danger) 30%, transparent);
    border-radius: var(--lama-radius);
    background: var(--lama-danger-soft);
    font-size: var(--lama-font-size-sm);
  }
  .notice-icon {
    display: grid;
    color: var(--lama-danger);
  }
  .notice-text {
    flex: 1;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .notice-text time {
    color: var(--lama-muted);
    font-size: var(--lama-font-size-xs);
  }

  .latest {
    position: absolute;
    right: var(--lama-space-5);
    bottom: var(--lama-space-3);
    border-radius: var(--lama-radius-pill);
    box-shadow: var(--lama-shadow-md);
  }

  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @keyframes blink {
    to {
      visibility: hidden;
    }
  }
  @keyframes pulse {
    0%,
    100% {
      opacity: 0.3;
      transform: translateY(0);
    }
    50% {
      opacity: 1;
      transform: translateY(-2px);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner,
    .typing span,
    .writing > :last-child::after {
      animation: none;
    }
  }
`;
