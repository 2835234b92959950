import type { BrowserInstance } from '../actors/browser/browser-instance.dom.ts';
import type { InspectionCollector } from '../actors/inspection/inspection-collector.ts';
import type { InvokeChannel, PayloadOf, PushChannel, RequestOf, ResponseOf } from '../hosts/ipc/channels.ts';

/**
 * What views get besides the host link and the browser session actors (hosts/browser/main.dom.ts
 * builds it once): the browser instance (its chat, store and feeds — chat data never crosses IPC),
 * orchestration calls and status pushes through whichever host connection is current, and the
 * browser's own inspection feed. Views hold this and render actors' snapshots; they never open
 * sockets or stores themselves.
 */
export interface RendererServices {
  readonly instance: BrowserInstance;
  /** An orchestration call over the current host connection; rejects with the channel's typed error. */
  orchestrate<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** A status push; the subscription survives reconnects of the host link. Returns the unsubscription. */
  onPush<C extends PushChannel>(channel: C, listener: (payload: PayloadOf<C>) => void): () => void;
  /** The browser's own actors' transitions, for the inspector. */
  readonly collector: InspectionCollector;
}
