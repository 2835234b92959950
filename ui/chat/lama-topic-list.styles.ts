import { css } from 'lit';

export const styles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    height: 100%;
    background: var(--lama-bg);
  }
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    min-height: 60px;
    box-sizing: border-box;
    padding: var(--lama-space-2) var(--lama-space-3) var(--lama-space-2) var(--lama-space-4);
  }
  h1 {
    margin: 0;
    font-size: var(--lama-font-size-xl);
    font-weight: var(--lama-weight-semibold);
  }
  .new {
    width: 36px;
    padding: 0;
    border-radius: var(--lama-radius);
  }
  .search {
    position: relative;
    display: block;
    margin: 0 var(--lama-space-3) var(--lama-space-2);
    color: var(--lama-subtle);
  }
  .search .icon {
    position: absolute;
    left: 10px;
    top: 50%;
    transform: translateY(-50%);
    pointer-events: none;
  }
  .search input {
    width: 100%;
    padding-left: 34px;
    background: var(--lama-surface-2);
    border-color: transparent;
  }
  .search input:focus {
    background: var(--lama-surface);
    border-color: var(--lama-accent);
  }
  ul {
    flex: 1;
    margin: 0;
    padding: 0 var(--lama-space-2) var(--lama-space-2);
    list-style: none;
    overflow-y: auto;
  }
  li {
    display: flex;
    align-items: center;
    gap: var(--lama-space-3);
    padding: var(--lama-space-2) var(--lama-space-3);
    border-radius: var(--lama-radius);
    cursor: pointer;
    outline: none;
  }
  li + li {
    margin-top: 2px;
  }
  li:hover {
    background: var(--lama-surface-2);
  }
  li.selected {
    background: var(--lama-surface-3);
  }
  li:focus-visible {
    outline: var(--lama-focus-outline);
    outline-offset: -2px;
  }
  .avatar {
    display: grid;
    place-items: center;
    flex: none;
    width: 40px;
    height: 40px;
    border-radius: 50%;
    background: var(--avatar);
    color: var(--lama-avatar-text);
    font-size: var(--lama-font-size-sm);
    font-weight: var(--lama-weight-semibold);
  }
  .avatar.ai {
    background: linear-gradient(135deg, var(--lama-ai), color-mix(in srgb, var(--lama-ai) 55%, var(--lama-accent)));
    color: var(--lama-surface);
  }
  .main {
    display: grid;
    flex: 1;
    min-width: 0;
    gap: 1px;
  }
  .line {
    display: flex;
    align-items: center;
    gap: var(--lama-space-2);
    min-width: 0;
  }
  .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: var(--lama-weight-medium);
  }
  .unread .name {
    font-weight: var(--lama-weight-semibold);
  }
  .ai-badge {
    flex: none;
    padding: 0 5px;
    border-radius: 4px;
    background: var(--lama-ai-soft);
    color: var(--lama-ai);
    font-size: 0.625rem;
    font-weight: var(--lama-weight-semibold);
    letter-spacing: 0.06em;
    line-height: 16px;
  }
  time {
    flex: none;
    margin-left: auto;
    font-size: var(--lama-font-size-xs);
    color: var(--lama-subtle);
  }
  .unread time {
    color: var(--lama-accent);
    font-weight: var(--lama-weight-medium);
  }
  .preview {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-size: var(--lama-font-size-sm);
    color: var(--lama-muted);
  }
  .unread .preview {
    color: var(--lama-text);
  }
  .preview.system {
    color: var(--lama-danger);
  }
  .preview em {
    font-style: normal;
    color: var(--lama-subtle);
  }
  .count {
    flex: none;
    min-width: 20px;
    box-sizing: border-box;
    padding: 0 6px;
    border-radius: var(--lama-radius-pill);
    background: var(--lama-unread);
    color: var(--lama-unread-text);
    font-size: var(--lama-font-size-xs);
    font-weight: var(--lama-weight-semibold);
    line-height: 20px;
    text-align: center;
  }
  .empty {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: var(--lama-space-2);
  }
  .empty p {
    margin: 0;
  }
  .empty .big {
    color: var(--lama-subtle);
  }
  .empty .big .icon {
    width: 40px;
    height: 40px;
  }
  .skeletons {
    padding: 0 var(--lama-space-2);
  }
  .skeleton-row {
    display: flex;
    align-items: center;
    gap: var(--lama-space-3);
    padding: var(--lama-space-2) var(--lama-space-3);
  }
  .skeleton-row span:first-child {
    width: 40px;
    height: 40px;
    border-radius: 50%;
    background: var(--lama-surface-3);
  }
  .skeleton-row span:last-child {
    flex: 1;
    height: 12px;
    border-radius: var(--lama-radius-sm);
    background: var(--lama-surface-3);
  }
`;
