import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock, waitFor } from 'xstate';
import { partialOrchestrator } from '../../hosts/ipc/orchestrator.ts';
import { OrchestrationError } from '../../hosts/ipc/orchestration-error.ts';
import type { PayloadOf, PushChannel } from '../../hosts/ipc/channels.ts';
import { hostLinkMachine, LINK_BACKOFF_MS } from '../../machines/host-link.ts';
import { hostLinkEffects, type LinkClient } from './host-link-effects.ts';

const personId = 'a'.repeat(64);
const instanceId = 'b'.repeat(64);

/** A protocol-faithful in-memory host: the handlers a real host has, pushes on demand, a closable link. */
function fakeHost() {
  let user: { personId: string; instanceId: string; name: string } | null = null;
  const listeners = new Map<PushChannel, Set<(payload: never) => void>>();
  let close: (reason: string) => void = () => undefined;
  let connections = 0;
  const orchestrator = partialOrchestrator({
    'orchestrate:status': async () => ({ app: { state: user ? 'running' : 'provisioning', failures: [] }, provisioned: user }),
    'orchestrate:provision': async ({ name, passphrase }) => {
      if (passphrase !== 'correct horse') throw new OrchestrationError('WRONG_PASSPHRASE', 'the passphrase does not unlock this identity');
      user ??= { personId, instanceId, name };
      return { personId, instanceId, created: true };
    },
  });
  const open = async (): Promise<LinkClient> => {
    connections++;
    if (connections === 2) throw new OrchestrationError('CONNECT_FAILED', 'host restarting');
    return {
      ...orchestrator,
      on: (channel, listener) => {
        const set = listeners.get(channel) ?? new Set();
        listeners.set(channel, set);
        set.add(listener as (payload: never) => void);
        return () => set.delete(listener as (payload: never) => void);
      },
      closed: new Promise((resolve) => (close = (reason) => resolve({ code: 1001, reason }))),
    };
  };
  const push = <C extends PushChannel>(channel: C, payload: PayloadOf<C>) => listeners.get(channel)?.forEach((l) => l(payload as never));
  return { open, push, drop: (reason: string) => close(reason), connections: () => connections };
}

describe('host link', () => {
  it('connects, reads the status, provisions, follows pushes, and reconnects with backoff after the link drops', async () => {
    const host = fakeHost();
    const clock = new SimulatedClock();
    const actor = createActor(hostLinkMachine.provide({ actors: hostLinkEffects(host.open) }), { clock }).start();
    try {
      let snap = await waitFor(actor, (s) => s.matches({ connected: 'idle' }));
      expect(snap.context).toMatchObject({ app: { state: 'provisioning' }, user: null });

      actor.send({ type: 'provision.submit', name: 'Ada', passphrase: 'wrong one' });
      snap = await waitFor(actor, (s) => s.matches({ connected: 'idle' }) && s.context.provisionError !== undefined);
      expect(snap.context.provisionError).toEqual({ code: 'WRONG_PASSPHRASE', message: 'the passphrase does not unlock this identity' });

      actor.send({ type: 'provision.submit', name: 'Ada', passphrase: 'correct horse' });
      snap = await waitFor(actor, (s) => s.context.user != null);
      expect(snap.context.user).toEqual({ personId, instanceId, name: 'Ada' });
      expect(snap.context.provisionError).toBeUndefined();

      host.push('status:app', { state: 'running', failures: [{ child: 'workerPool', reason: 'boom' }] });
      expect(actor.getSnapshot().context.app?.failures).toHaveLength(1);

      host.drop('host stopped');
      snap = await waitFor(actor, (s) => s.matches('backingOff'));
      expect(snap.context.linkError).toEqual({ code: 'LINK_LOST', message: 'host stopped' });
      clock.increment(LINK_BACKOFF_MS[0]);
      // The second connection fails (the host is restarting): back off longer, then connect.
      await waitFor(actor, (s) => s.matches('backingOff') && s.context.attempt === 2);
      clock.increment(LINK_BACKOFF_MS[1]);
      await waitFor(actor, (s) => s.matches({ connected: 'idle' }));
      expect(host.connections()).toBe(3);
      expect(actor.getSnapshot().context.user).toEqual({ personId, instanceId, name: 'Ada' });
    } finally {
      actor.stop();
    }
  });
});
