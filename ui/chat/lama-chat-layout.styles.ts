import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    height: 100%;
    min-height: 0;
    background: var(--lama-surface);
  }
  .layout {
    display: grid;
    grid-template-columns: minmax(260px, 320px) minmax(0, 1fr);
    height: 100%;
  }
  .list {
    min-height: 0;
    border-right: 1px solid var(--lama-border);
  }
  .chat {
    display: flex;
    min-width: 0;
    min-height: 0;
  }
  lama-chat-view {
    flex: 1;
  }
  .layout.narrow {
    grid-template-columns: minmax(0, 1fr);
  }
  .layout.narrow .list {
    border-right: 0;
  }
  .layout.narrow.open .list,
  .layout.narrow:not(.open) .chat {
    display: none;
  }
  .empty {
    display: flex;
    flex: 1;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: var(--lama-space-3);
    height: 100%;
    box-sizing: border-box;
  }
  .welcome h2 {
    margin: 0;
    font-size: var(--lama-font-size-xl);
    font-weight: var(--lama-weight-semibold);
    color: var(--lama-text);
  }
  .welcome p {
    max-width: 26rem;
    margin: 0;
  }
  .mark {
    display: grid;
    place-items: center;
    width: 64px;
    height: 64px;
    border-radius: 50%;
    background: var(--lama-accent-soft);
    color: var(--lama-accent);
  }
  .mark .icon {
    width: 28px;
    height: 28px;
  }
  .locked .icon {
    width: 32px;
    height: 32px;
  }
`;
