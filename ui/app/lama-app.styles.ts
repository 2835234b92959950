import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    height: 100vh;
    overflow: hidden;
    background: var(--lama-bg);
  }
  .frame {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr);
    height: 100%;
  }
  main {
    display: flex;
    flex-direction: column;
    min-width: 0;
    min-height: 0;
  }
  main:focus {
    outline: none;
  }
  .view-host {
    flex: 1;
    min-height: 0;
  }
  .view-host > * {
    height: 100%;
  }
  .skip {
    position: absolute;
    left: var(--lama-space-3);
    top: -100px;
    z-index: 10;
    padding: var(--lama-space-2) var(--lama-space-4);
    border-radius: var(--lama-radius-sm);
    background: var(--lama-accent);
    color: var(--lama-accent-text);
    text-decoration: none;
  }
  .skip:focus {
    top: var(--lama-space-3);
  }
  .rail-foot {
    display: grid;
    gap: var(--lama-space-3);
  }
  .me {
    display: flex;
    align-items: center;
    gap: var(--lama-space-2);
    padding: 0 var(--lama-space-2);
    min-width: 0;
  }
  .me .avatar {
    flex: none;
    display: grid;
    place-items: center;
    width: 28px;
    height: 28px;
    border-radius: 50%;
    background: var(--lama-accent);
    color: var(--lama-accent-text);
    font-size: var(--lama-font-size-sm);
    font-weight: var(--lama-weight-semibold);
  }
  .me .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: var(--lama-weight-medium);
  }
  .banner {
    padding: var(--lama-space-2) var(--lama-space-4);
    font-size: var(--lama-font-size-sm);
    background: var(--lama-warning-soft);
    color: var(--lama-warning);
    border-bottom: 1px solid var(--lama-border);
  }
  .banner.down {
    background: var(--lama-danger-soft);
    color: var(--lama-danger);
  }
  .centered {
    height: 100%;
    overflow-y: auto;
  }
  .splash {
    height: 100%;
    display: grid;
    place-content: center;
    justify-items: center;
    gap: var(--lama-space-2);
    color: var(--lama-muted);
  }
  .splash p {
    margin: 0;
  }
  .splash .secondary {
    font-size: var(--lama-font-size-sm);
    color: var(--lama-subtle);
  }
  dialog.setup {
    padding: 0;
    border: 0;
    background: transparent;
    max-width: none;
    max-height: 100vh;
    overflow-y: auto;
  }
  dialog.setup::backdrop {
    background: rgb(10 10 20 / 0.45);
  }
  dialog.setup lama-provider-setup {
    margin: 6vh auto;
  }
  @media (max-width: 760px) {
    .me .name {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
    .me {
      justify-content: center;
      padding: 0;
    }
  }
`;
