import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    height: auto;
    overflow: visible;
    background: none;
  }
  .section-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--lama-space-3);
    margin-bottom: var(--lama-space-3);
  }
  .section-head h2 {
    margin: 0;
  }
  .provider {
    align-items: flex-start !important;
  }
  .title {
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    gap: var(--lama-space-2);
    margin-bottom: 2px;
  }
  .provider p.secondary {
    margin: var(--lama-space-2) 0 0;
  }
  .problem {
    margin: var(--lama-space-1) 0 0;
    font-size: var(--lama-font-size-sm);
    color: var(--lama-danger);
  }
  .models {
    list-style: none;
    display: flex;
    flex-wrap: wrap;
    gap: var(--lama-space-1);
    margin: var(--lama-space-2) 0 0;
    padding: 0;
  }
  .model {
    display: inline-flex;
    align-items: center;
    gap: var(--lama-space-1);
    padding: 2px var(--lama-space-2);
    border: 1px solid var(--lama-border);
    border-radius: var(--lama-radius-sm);
    font-size: var(--lama-font-size-xs);
    background: var(--lama-surface-2);
  }
  .tag {
    color: var(--lama-ai);
    font-weight: var(--lama-weight-medium);
  }
  .message {
    margin: 0 0 var(--lama-space-3);
    padding: var(--lama-space-2) var(--lama-space-3);
    border-radius: var(--lama-radius-sm);
    font-size: var(--lama-font-size-sm);
  }
  .message.ok {
    background: var(--lama-success-soft);
    color: var(--lama-success);
  }
  .message.error {
    background: var(--lama-danger-soft);
    color: var(--lama-danger);
  }
  form.add {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: var(--lama-space-3) var(--lama-space-4);
    padding: var(--lama-space-4) var(--lama-space-5);
    margin-bottom: var(--lama-space-3);
  }
  .wide {
    grid-column: 1 / -1;
  }
  .form-actions {
    display: flex;
    justify-content: flex-end;
    gap: var(--lama-space-2);
  }
`;
