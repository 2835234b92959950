import type { ToolChoice } from '../../machines/chat-view.ts';

/** The chat views' own events: bubbling, composed, named `lama-*` (STYLE.md §2.3). */
export class LamaSendEvent extends CustomEvent<{ readonly text: string }> {
  constructor(text: string) {
    super('lama-send', { detail: { text }, bubbles: true, composed: true });
  }
}

export class LamaDecideEvent extends CustomEvent<{ readonly callId: string; readonly choice: ToolChoice }> {
  constructor(callId: string, choice: ToolChoice) {
    super('lama-decide', { detail: { callId, choice }, bubbles: true, composed: true });
  }
}

export class LamaCreateTopicEvent extends CustomEvent<{ readonly name: string; readonly participants: readonly string[] }> {
  constructor(name: string, participants: readonly string[]) {
    super('lama-create-topic', { detail: { name, participants }, bubbles: true, composed: true });
  }
}

/** The narrow layout's way back from a topic to the list. */
export class LamaBackEvent extends Event {
  constructor() {
    super('lama-back', { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lama-send': LamaSendEvent;
    'lama-decide': LamaDecideEvent;
    'lama-create-topic': LamaCreateTopicEvent;
    'lama-back': LamaBackEvent;
  }
}
