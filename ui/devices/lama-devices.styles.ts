import { css } from 'lit';

export const styles = css`
  .pair {
    display: grid;
    grid-template-columns: 1fr minmax(8rem, 12rem) 1fr;
    align-items: center;
  }
  .device {
    display: grid;
    justify-items: start;
    gap: var(--lama-space-1);
    padding: var(--lama-space-4) var(--lama-space-5);
  }
  .device p {
    margin: 0 0 var(--lama-space-2);
  }
  .device-icon {
    display: grid;
    place-items: center;
    width: 40px;
    height: 40px;
    margin-bottom: var(--lama-space-2);
    border-radius: var(--lama-radius);
    background: var(--lama-accent-soft);
    color: var(--lama-accent);
  }
  .link {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: var(--lama-space-1);
  }
  .line {
    flex: 1;
    height: 0;
    border-top: 2px dashed var(--lama-border-strong);
  }
  .link.up .line {
    border-top-style: solid;
    border-color: var(--lama-success);
  }
  dl.facts code {
    font-size: var(--lama-font-size-xs);
  }
  @media (max-width: 900px) {
    .pair {
      grid-template-columns: 1fr;
      gap: var(--lama-space-2);
    }
    .link .line {
      display: none;
    }
  }
`;
