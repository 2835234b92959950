import { css } from 'lit';

export const styles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-width: 0;
    min-height: 0;
    height: 100%;
    background: var(--lama-surface);
  }
  header {
    display: flex;
    align-items: center;
    gap: var(--lama-space-3);
    min-height: 60px;
    box-sizing: border-box;
    padding: var(--lama-space-2) var(--lama-space-5);
    border-bottom: 1px solid var(--lama-border);
  }
  .back {
    margin-left: calc(-1 * var(--lama-space-3));
    padding: 0 var(--lama-space-2);
  }
  .title {
    min-width: 0;
    flex: 1;
  }
  h2 {
    margin: 0;
    font-size: var(--lama-font-size-lg);
    font-weight: var(--lama-weight-semibold);
    line-height: 1.3;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .people {
    margin: 0;
    font-size: var(--lama-font-size-sm);
    color: var(--lama-muted);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .avatars {
    display: flex;
    flex: none;
  }
  .avatar {
    display: grid;
    place-items: center;
    width: 36px;
    height: 36px;
    border-radius: 50%;
    border: 2px solid var(--lama-surface);
    background: var(--avatar);
    color: var(--lama-avatar-text);
    font-size: var(--lama-font-size-sm);
    font-weight: var(--lama-weight-semibold);
  }
  .avatar + .avatar {
    margin-left: -14px;
  }
  .avatar.ai {
    background: linear-gradient(135deg, var(--lama-ai), color-mix(in srgb, var(--lama-ai) 55%, var(--lama-accent)));
    color: var(--lama-surface);
  }
  .notice-bar {
    display: flex;
    align-items: center;
    gap: var(--lama-space-2);
    padding: var(--lama-space-2) var(--lama-space-5);
    background: var(--lama-warning-soft);
    color: var(--lama-warning);
    font-size: var(--lama-font-size-sm);
    border-bottom: 1px solid var(--lama-border);
  }
  .notice-bar span {
    flex: 1;
  }
  .notice-bar button {
    color: inherit;
    padding: 0 var(--lama-space-2);
  }
  lama-message-list,
  .empty {
    flex: 1;
  }
  .empty {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: var(--lama-space-3);
  }
  .empty.loading {
    flex-direction: row;
  }
  .spinner {
    width: 16px;
    height: 16px;
    border: 2px solid var(--lama-border-strong);
    border-top-color: var(--lama-accent);
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  .skeleton {
    display: inline-block;
    background: var(--lama-surface-2);
    border-radius: var(--lama-radius-sm);
  }
  .skeleton.line {
    width: 10rem;
    height: 1em;
  }
  .avatar-skeleton {
    width: 36px;
    height: 36px;
    border-radius: 50%;
  }
  lama-composer {
    flex: none;
    border-top: 1px solid transparent;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
`;
