/** The UI's own events: bubbling, composed, named `lama-*` (STYLE.md §2.3). */
export interface ProvisionDetail {
  readonly name: string;
  readonly passphrase: string;
}

export class LamaProvisionEvent extends CustomEvent<ProvisionDetail> {
  constructor(detail: ProvisionDetail) {
    super('lama-provision', { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lama-provision': LamaProvisionEvent;
  }
}
