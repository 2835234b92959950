import { fromCallback } from 'xstate';
import type { ChumEngineEvent, ChumFetch, ChumSessionInput } from '../../machines/chum-session.ts';
import type { SHA256Hash } from '../store/hash.ts';
import { ChumSession, type ChumSessionOptions } from './chum-session.ts';

/**
 * The `engine` of machines/chum-session.ts: runs a ChumSession and translates its events into the
 * machine's. A host provides it per connection, with that connection's port and peer:
 *
 *   chumSessionMachine.provide({ actors: { engine: chumEngine({ store, crypto, port, peer }) } })
 *
 * Stopping the actor (the machine left `active`) closes the session and its port.
 */
export function chumEngine(options: ChumSessionOptions) {
  return fromCallback<ChumFetch, ChumSessionInput>(({ sendBack, receive }) => {
    const session = ChumSession.start(options);
    const report = (event: ChumEngineEvent) => sendBack(event);
    session.on((event) => {
      if (event.type === 'progress') return report({ type: 'chum.progress', progress: event.progress });
      switch (event.state) {
        case 'syncing':
          return report({ type: 'chum.greeted' });
        case 'live':
          return report({ type: 'chum.synced' });
        case 'closed':
          return report({ type: 'chum.closed', reason: event.reason ?? 'closed' });
        case 'failed':
          return report({ type: 'chum.failed', error: { code: event.error?.code ?? 'STORE', message: event.error?.message ?? event.reason ?? 'failed' } });
        default:
          return undefined;
      }
    });
    receive((fetch) => void session.fetch(fetch.hashes as SHA256Hash[], fetch.kind));
    return () => session.close('session stopped');
  });
}
