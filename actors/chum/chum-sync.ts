import { fromCallback, type EventObject } from 'xstate';
import type { SessionInput, SyncEvent } from '../../machines/connection.ts';
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { FetchPolicy, SyncProgress } from './fetch-policy.ts';
import { portOverConnection, type DataConnection } from './chum-port.ts';
import { ChumSession } from './chum-session.ts';

/**
 * The connection machine's `sync` actor (machines/connection.ts): a CHUM session over the
 * connection's secure channel once the peer is a contact. Reports `sync.behind` while the first
 * round runs, `sync.caughtUp` when live, `sync.failed` with the reason; progress goes to the host
 * (`status:syncProgress`), throttled by the session.
 */
export interface ChumSyncOptions {
  readonly store: () => ObjectStore;
  readonly crypto: CryptoProvider;
  readonly policy?: FetchPolicy;
  readonly onProgress?: (peer: SessionInput['peer'], progress: SyncProgress) => void;
  /** Told of each session when it starts and (undefined) when it ends: a sparse store fetches through it. */
  readonly onSession?: (peer: SessionInput['peer'], session: ChumSession | undefined) => void;
}

export function chumSync(options: ChumSyncOptions) {
  return fromCallback<EventObject, SessionInput>(({ input, sendBack }) => {
    const report = (event: SyncEvent) => sendBack(event);
    const session = ChumSession.start({
      store: options.store(),
      crypto: options.crypto,
      port: portOverConnection(input.session as unknown as DataConnection),
      // The machine keeps ids as plain strings; the channel authenticated them as hashes.
      peer: { personId: input.peer.personId as SHA256Hash, instanceId: input.peer.instanceId as SHA256Hash },
      ...(options.policy ? { policy: options.policy } : {}),
    });
    options.onSession?.(input.peer, session);
    session.on((event) => {
      if (event.type === 'progress') return options.onProgress?.(input.peer, event.progress);
      if (event.state === 'syncing') report({ type: 'sync.behind' });
      else if (event.state === 'live') report({ type: 'sync.caughtUp' });
      else if (event.state === 'failed' || event.state === 'closed') report({ type: 'sync.failed', message: event.error?.message ?? event.reason ?? 'the sync session ended' });
    });
    return () => {
      options.onSession?.(input.peer, undefined);
      session.close('connection ended');
    };
  });
}
