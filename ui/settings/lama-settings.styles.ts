import { css } from 'lit';

export const styles = css`
  .folder {
    padding: var(--lama-space-4) var(--lama-space-5);
  }
  .folder > code {
    overflow-wrap: anywhere;
  }
`;
