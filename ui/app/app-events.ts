/** The shell's own events: bubbling, composed, named `lama-*` (STYLE.md §2.3). */
export const VIEWS = ['chats', 'contacts', 'devices', 'settings', 'data', 'inspector'] as const;
export type ViewName = (typeof VIEWS)[number];

export interface NavigateDetail {
  readonly view: ViewName;
  /** With `chats`: the topic to open (its ID hash). */
  readonly topic?: string;
}

/** Asks the shell to show a view (the rail, a view's link, a chat just started). */
export class LamaNavigateEvent extends CustomEvent<NavigateDetail> {
  constructor(detail: NavigateDetail) {
    super('lama-navigate', { detail, bubbles: true, composed: true });
  }
}

export interface SetupDoneDetail {
  /** The provider whose model the user chose to talk to first; absent when skipped. */
  readonly provider?: string;
}

/** Onboarding's AI step is finished (or skipped). */
export class LamaSetupDoneEvent extends CustomEvent<SetupDoneDetail> {
  constructor(detail: SetupDoneDetail) {
    super('lama-setup-done', { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lama-navigate': LamaNavigateEvent;
    'lama-setup-done': LamaSetupDoneEvent;
  }
}
