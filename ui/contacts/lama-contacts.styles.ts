import { css } from 'lit';

export const styles = css`
  .search {
    display: flex;
    align-items: center;
    gap: var(--lama-space-2);
    padding-left: var(--lama-space-3);
    border: 1px solid var(--lama-border-strong);
    border-radius: var(--lama-radius-sm);
    background: var(--lama-surface);
    color: var(--lama-subtle);
  }
  .search:focus-within {
    outline: var(--lama-focus-outline);
    outline-offset: 2px;
  }
  .search input {
    border: 0;
    background: transparent;
    width: 14rem;
    padding-left: 0;
  }
  .search input:focus-visible {
    outline: none;
  }
  .rows > li.picked {
    background: var(--lama-accent-soft);
  }
  .who {
    display: flex;
    align-items: center;
    gap: var(--lama-space-3);
    cursor: pointer;
    min-width: 0;
  }
  .who > .grow {
    display: grid;
  }
  .name {
    font-weight: var(--lama-weight-medium);
  }
  .view {
    /* The selection bar sits at the bottom of the window when the lists are short, and sticks there when they scroll. */
    display: flex;
    flex-direction: column;
    min-height: 100%;
    box-sizing: border-box;
  }
  .spacer {
    flex: 1;
    min-height: var(--lama-space-5);
  }
  .selection {
    position: sticky;
    bottom: var(--lama-space-4);
    display: flex;
    align-items: center;
    gap: var(--lama-space-3);
    padding: var(--lama-space-3) var(--lama-space-3) var(--lama-space-3) var(--lama-space-4);
    background: var(--lama-surface);
    border: 1px solid var(--lama-border-strong);
    border-radius: var(--lama-radius);
    box-shadow: var(--lama-shadow-lg);
  }
  .selection[hidden] {
    display: none;
  }
`;
