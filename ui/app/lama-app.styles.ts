import { css } from 'lit';

export const styles = css`
  :host {
    /* flow-root: a child's top margin stays inside, instead of pushing the background down. */
    display: flow-root;
    min-height: 100vh;
    background: var(--lama-bg);
  }
  .banner {
    padding: 0.5rem 1rem;
    font-size: 0.9rem;
    background: color-mix(in srgb, var(--lama-accent) 12%, var(--lama-surface));
    border-bottom: 1px solid var(--lama-border);
  }
  .banner.down {
    background: color-mix(in srgb, var(--lama-danger) 14%, var(--lama-surface));
  }
  main {
    max-width: 44rem;
    margin: 0 auto;
    padding: 2rem 1rem;
  }
  h1 {
    font-size: 1.3rem;
    margin: 0 0 1rem;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.4rem 1rem;
    margin: 0;
    padding: 1rem 1.25rem;
    background: var(--lama-surface);
    border: 1px solid var(--lama-border);
    border-radius: var(--lama-radius);
  }
  dt {
    color: var(--lama-muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  code {
    font-size: 0.85em;
  }
  .failure {
    color: var(--lama-danger);
  }
`;
