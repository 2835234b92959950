import { css } from 'lit';

/**
 * Tokens the chat views add to ui/theme.styles.ts (include after `theme`): eight avatar colours,
 * chosen per person from their id, light and dark; the unread badge; the streaming caret.
 */
export const chatTheme = css`
  :host {
    --lama-avatar-1: #3f51d4;
    --lama-avatar-2: #0f7b6c;
    --lama-avatar-3: #b5456b;
    --lama-avatar-4: #a35a00;
    --lama-avatar-5: #2f6fb0;
    --lama-avatar-6: #6b7a1f;
    --lama-avatar-7: #8e44ad;
    --lama-avatar-8: #c0392b;
    --lama-avatar-text: #ffffff;
    --lama-unread: var(--lama-accent);
    --lama-unread-text: var(--lama-accent-text);
    --lama-caret: var(--lama-ai);
    --lama-chat-max-width: 860px;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --lama-avatar-1: #7d8cf5;
      --lama-avatar-2: #4fc1ad;
      --lama-avatar-3: #e58aa8;
      --lama-avatar-4: #e6a55a;
      --lama-avatar-5: #7fb2e6;
      --lama-avatar-6: #b7c46a;
      --lama-avatar-7: #c49be0;
      --lama-avatar-8: #ef8a7e;
      --lama-avatar-text: #121316;
    }
  }
`;
