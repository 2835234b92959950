import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { InvokeChannel, PayloadOf, PushChannel, RequestOf, ResponseOf } from '../../hosts/ipc/channels.ts';
import type { RendererServices } from '../services.ts';

/** A push channel whose payload has the same shape as the query's reply (status:aiProviders for orchestrate:aiProviders). */
type MatchingPush<C extends InvokeChannel> = { [P in PushChannel]: PayloadOf<P> extends ResponseOf<C> ? P : never }[PushChannel];

export interface QueryError {
  readonly code: string;
  readonly message: string;
}

/**
 * One orchestration reply a view shows (STYLE.md §2.4): asked when the view connects, then kept
 * current by the matching status push, if there is one, while it stays connected. `set` takes the
 * fresh state a changing call answers with. A reply that arrives after a newer push is dropped.
 */
export class HostQuery<C extends InvokeChannel> implements ReactiveController {
  value: ResponseOf<C> | undefined;
  error: QueryError | undefined;
  loading = false;
  #off: (() => void) | undefined;
  #generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly services: () => RendererServices | undefined,
    private readonly channel: C,
    private readonly request: () => RequestOf<C>,
    private readonly push?: MatchingPush<C>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const services = this.services();
    if (!services) return;
    if (this.push) {
      this.#off = services.onPush(this.push, (payload) => {
        this.#generation++;
        this.set(payload as ResponseOf<C>);
      });
    }
    void this.refresh();
  }

  hostDisconnected(): void {
    this.#off?.();
    this.#off = undefined;
  }

  async refresh(): Promise<void> {
    const services = this.services();
    if (!services) return;
    const generation = ++this.#generation;
    this.loading = true;
    this.host.requestUpdate();
    try {
      const value = await services.orchestrate(this.channel, this.request());
      if (generation === this.#generation) this.set(value);
    } catch (error) {
      if (generation === this.#generation) {
        this.error = asQueryError(error);
        this.host.requestUpdate();
      }
    } finally {
      if (generation === this.#generation) this.loading = false;
      this.host.requestUpdate();
    }
  }

  set(value: ResponseOf<C>): void {
    this.value = value;
    this.error = undefined;
    this.host.requestUpdate();
  }
}

export function asQueryError(error: unknown): QueryError {
  const coded = error as { code?: unknown; message?: unknown } | undefined;
  return {
    code: typeof coded?.code === 'string' ? coded.code : 'ERROR',
    message: typeof coded?.message === 'string' ? coded.message : String(error),
  };
}
