/**
 * The push half of an Orchestrator for hosts to publish into: the app's `actor.on(…)` handlers
 * call `publish`, every transport subscribed through `onPush` forwards it. A listener that throws
 * (a closed window) must not stop the others from hearing the push.
 */
import type { PushChannel, PayloadOf, PushMessage } from './channels.ts';
import type { Orchestrator, PushListener } from './orchestrator.ts';

export class PushEmitter {
  readonly #listeners = new Set<PushListener>();

  readonly onPush: Orchestrator['onPush'] = (listener) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  publish<C extends PushChannel>(channel: C, payload: PayloadOf<C>): void {
    const push = { channel, payload } as PushMessage;
    for (const listener of [...this.#listeners]) {
      try {
        listener(push);
      } catch (error) {
        console.error(`push ${channel}: a listener failed`, error);
      }
    }
  }
}
