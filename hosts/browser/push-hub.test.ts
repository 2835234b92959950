import { describe, expect, it } from 'vitest';
import type { PayloadOf, PushChannel } from '../ipc/channels.ts';
import type { OrchestrationClient } from '../ipc/client.ts';
import { PushHub } from './push-hub.ts';

/** A client whose pushes the test fires; it counts live subscriptions. */
function fakeClient() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const client = {
    on: (channel: PushChannel, listener: (payload: unknown) => void) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  } as unknown as OrchestrationClient;
  const push = <C extends PushChannel>(channel: C, payload: PayloadOf<C>) => [...(listeners.get(channel) ?? [])].forEach((l) => l(payload));
  const live = () => [...listeners.values()].reduce((n, s) => n + s.size, 0);
  return { client, push, live };
}

const app = (state: string): PayloadOf<'status:app'> => ({ state, failures: [] });

describe('PushHub', () => {
  it('keeps a listener across reconnects, attached to the current client only', () => {
    const hub = new PushHub();
    const seen: string[] = [];
    const off = hub.on('status:app', (status) => seen.push(status.state));
    const first = fakeClient();
    hub.attach(first.client);
    first.push('status:app', app('one'));
    const second = fakeClient();
    hub.attach(second.client);
    first.push('status:app', app('stale'));
    second.push('status:app', app('two'));
    expect(seen).toEqual(['one', 'two']);
    expect(first.live()).toBe(0);
    off();
    second.push('status:app', app('after'));
    expect(seen).toEqual(['one', 'two']);
  });

  it('attaches a listener added while connected at once', () => {
    const hub = new PushHub();
    const client = fakeClient();
    hub.attach(client.client);
    const seen: string[] = [];
    hub.on('status:app', (status) => seen.push(status.state));
    client.push('status:app', app('now'));
    expect(seen).toEqual(['now']);
  });
});
