import { css } from 'lit';

/**
 * The frame every non-chat view shares: a header (title, one line of explanation, actions on the
 * right), then sections of cards, readable width, scrolling inside the main area.
 */
export const viewStyles = css`
  :host {
    display: block;
    height: 100%;
    overflow-y: auto;
    background: var(--lama-bg);
  }
  .view {
    max-width: 60rem;
    margin: 0 auto;
    padding: var(--lama-space-6) var(--lama-space-6) var(--lama-space-7);
  }
  header.view-header {
    display: flex;
    align-items: flex-end;
    justify-content: space-between;
    gap: var(--lama-space-4);
    margin-bottom: var(--lama-space-5);
  }
  header.view-header h1 {
    margin: 0;
    font-size: var(--lama-font-size-2xl);
    font-weight: var(--lama-weight-semibold);
    letter-spacing: -0.01em;
  }
  header.view-header p {
    margin: var(--lama-space-1) 0 0;
    color: var(--lama-muted);
  }
  .actions {
    display: flex;
    gap: var(--lama-space-2);
    align-items: center;
    flex-wrap: wrap;
  }
  section {
    margin-top: var(--lama-space-6);
  }
  section:first-of-type {
    margin-top: 0;
  }
  h2 {
    display: flex;
    align-items: center;
    gap: var(--lama-space-2);
    margin: 0 0 var(--lama-space-3);
    font-size: var(--lama-font-size-sm);
    font-weight: var(--lama-weight-semibold);
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--lama-muted);
  }
  h2 .count {
    font-weight: var(--lama-weight-medium);
    color: var(--lama-subtle);
  }
  h3 {
    margin: 0;
    font-size: var(--lama-font-size-md);
    font-weight: var(--lama-weight-semibold);
  }
  .note {
    color: var(--lama-muted);
    font-size: var(--lama-font-size-sm);
    margin: var(--lama-space-2) 0 0;
  }
  .rows {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .rows > li {
    display: flex;
    align-items: center;
    gap: var(--lama-space-3);
    padding: var(--lama-space-3) var(--lama-space-4);
    border-top: 1px solid var(--lama-border);
  }
  .rows > li:first-child {
    border-top: 0;
  }
  .grow {
    flex: 1;
    min-width: 0;
  }
  .secondary {
    color: var(--lama-muted);
    font-size: var(--lama-font-size-sm);
  }
  .ellipsis {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  dl.facts {
    display: grid;
    grid-template-columns: minmax(9rem, max-content) 1fr;
    gap: var(--lama-space-2) var(--lama-space-5);
    margin: 0;
    padding: var(--lama-space-4) var(--lama-space-5);
  }
  dl.facts dt {
    color: var(--lama-muted);
  }
  dl.facts dd {
    margin: 0;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .avatar {
    flex: none;
    display: grid;
    place-items: center;
    width: 36px;
    height: 36px;
    border-radius: 50%;
    font-weight: var(--lama-weight-semibold);
    font-size: var(--lama-font-size-sm);
    background: var(--lama-accent-soft);
    color: var(--lama-accent);
  }
  .avatar.ai {
    background: var(--lama-ai-soft);
    color: var(--lama-ai);
  }
  @media (max-width: 720px) {
    .view {
      padding: var(--lama-space-4);
    }
    header.view-header {
      flex-direction: column;
      align-items: flex-start;
    }
  }
`;
