import { fromCallback, fromPromise } from 'xstate';
import type { OrchestrationClient } from '../../hosts/ipc/client.ts';
import type { AppStatus, NodeUser } from '../../machines/host-link.ts';

/**
 * The effects of machines/host-link.ts over any orchestration client: the control socket's or
 * Electron's bridge. `open` makes a fresh connection each time the machine (re)connects;
 * `closed` settles when that connection ends (Electron's never does).
 */
export type LinkClient = OrchestrationClient & { readonly closed?: Promise<{ code: number; reason: string }> };

export function hostLinkEffects(open: () => Promise<LinkClient>) {
  let client: LinkClient | undefined;
  const current = (): LinkClient => {
    if (!client) throw new Error('host link: not connected');
    return client;
  };
  const status = async (): Promise<{ app: AppStatus; user: NodeUser | null }> => {
    const { app, provisioned } = await current()['orchestrate:status']({});
    return { app, user: provisioned };
  };
  return {
    connect: fromPromise<void>(async () => {
      client = await open();
    }),
    listen: fromCallback(({ sendBack }) => {
      const link = current();
      let live = true;
      const unsubscribe = [
        link.on('status:app', (app) => sendBack({ type: 'host.app', app })),
        link.on('status:nodeProvisioned', (user) => sendBack({ type: 'host.provisioned', user })),
      ];
      void link.closed?.then(({ reason }) => {
        if (live) sendBack({ type: 'link.lost', reason: reason || 'the Node host closed the connection' });
      });
      return () => {
        live = false;
        for (const off of unsubscribe) off();
      };
    }),
    fetchStatus: fromPromise(status),
    /** Provisions, then reads the status: the stored name wins over the one typed when the user already existed. */
    provision: fromPromise<NodeUser, { name: string; passphrase: string }>(async ({ input }) => {
      await current()['orchestrate:provision'](input);
      const { user } = await status();
      if (!user) throw new Error('the Node host reported success but no provisioned user');
      return user;
    }),
  };
}
