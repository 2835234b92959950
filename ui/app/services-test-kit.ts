import type { BrowserInstance } from '../../actors/browser/browser-instance.dom.ts';
import { InspectionCollector } from '../../actors/inspection/inspection-collector.ts';
import type { InvokeChannel, PayloadOf, PushChannel, RequestOf, ResponseOf } from '../../hosts/ipc/channels.ts';
import { OrchestrationError } from '../../hosts/ipc/orchestration-error.ts';
import type { RendererServices } from '../services.ts';

type Handlers = { [C in InvokeChannel]?: (request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>> };

/**
 * RendererServices for the views' component tests: orchestration answered by the handlers given
 * (others reject NOT_IMPLEMENTED) and recorded, pushes the test sends with `push`, and whatever
 * browser instance the test needs (only the parts a view reads).
 */
export function fakeServices(handlers: Handlers = {}, instance: Partial<BrowserInstance> = {}) {
  const calls: { channel: InvokeChannel; request: unknown }[] = [];
  const listeners = new Map<PushChannel, Set<(payload: never) => void>>();
  const services: RendererServices = {
    instance: instance as BrowserInstance,
    collector: new InspectionCollector(),
    orchestrate: async (channel, request) => {
      calls.push({ channel, request });
      const handler = handlers[channel] as ((r: typeof request) => unknown) | undefined;
      if (!handler) throw new OrchestrationError('NOT_IMPLEMENTED', `${channel} is not faked`);
      return (await handler(request)) as never;
    },
    onPush: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
  return {
    services,
    calls,
    /** The requests made on one channel, in order. */
    requests: <C extends InvokeChannel>(channel: C) => calls.filter((c) => c.channel === channel).map((c) => c.request as RequestOf<C>),
    push: <C extends PushChannel>(channel: C, payload: PayloadOf<C>) => {
      for (const listener of listeners.get(channel) ?? []) (listener as (p: PayloadOf<C>) => void)(payload);
    },
  };
}

/** Mounts an element, waits for its first render (and the microtasks its queries settle in). */
export async function mount<E extends HTMLElement & { updateComplete: Promise<boolean> }>(element: E): Promise<E> {
  document.body.append(element);
  await element.updateComplete;
  await settle(element);
  return element;
}

/** Lets pending promises (fake replies) resolve and the element re-render. */
export async function settle(element: { updateComplete: Promise<boolean> }): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await element.updateComplete;
  }
}

/** The shadow root's text, whitespace collapsed. */
export function textOf(element: Element): string {
  return (element.shadowRoot ?? element).textContent!.replace(/\s+/g, ' ').trim();
}
