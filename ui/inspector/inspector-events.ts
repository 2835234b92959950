/** The inspector's own events: bubbling, composed, named `lama-*` (STYLE.md §2.3). */
export class LamaActorSelectEvent extends CustomEvent<{ readonly key: string }> {
  constructor(key: string) {
    super('lama-actor-select', { detail: { key }, bubbles: true, composed: true });
  }
}

export class LamaLogClearEvent extends Event {
  constructor() {
    super('lama-log-clear', { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lama-actor-select': LamaActorSelectEvent;
    'lama-log-clear': LamaLogClearEvent;
  }
}
