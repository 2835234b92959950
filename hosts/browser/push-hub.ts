import type { PayloadOf, PushChannel } from '../ipc/channels.ts';
import type { OrchestrationClient } from '../ipc/client.ts';

/**
 * Push subscriptions that outlive one host connection: each listener is attached to every client
 * the host link opens (the control socket reconnects with a fresh client after a host restart).
 */
export class PushHub {
  readonly #listeners = new Map<PushChannel, Set<(payload: never) => void>>();
  readonly #attached: (() => void)[] = [];

  /** The host link opened `client`: every current and later listener hears its pushes. */
  attach(client: OrchestrationClient): void {
    for (const off of this.#attached.splice(0)) off();
    for (const channel of this.#listeners.keys()) this.#attached.push(this.#relay(client, channel));
    this.#client = client;
  }

  #client: OrchestrationClient | undefined;

  on<C extends PushChannel>(channel: C, listener: (payload: PayloadOf<C>) => void): () => void {
    let set = this.#listeners.get(channel);
    if (!set) {
      set = new Set();
      this.#listeners.set(channel, set);
      if (this.#client) this.#attached.push(this.#relay(this.#client, channel));
    }
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  #relay<C extends PushChannel>(client: OrchestrationClient, channel: C): () => void {
    return client.on(channel, (payload) => {
      for (const listener of [...(this.#listeners.get(channel) ?? [])]) (listener as (p: PayloadOf<C>) => void)(payload);
    });
  }
}
