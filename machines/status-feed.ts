import { assign, setup } from 'xstate';

/**
 * The renderer's memory of the host's status pushes that a view may open after they came
 * (DESIGN.md §1: the UI renders status actors): each federation peer — whether its connection is
 * up, and its latest CHUM progress. hosts/browser forwards `status:federationConnected` and
 * `status:syncProgress` here from boot on; the connection indicator and the data dashboard render
 * its snapshot. Event-only: no effects, nothing to provide.
 */
export interface PeerStatus {
  /** The peer's Instance id, as the host names it. */
  readonly peer: string;
  /** Undefined until the host said either way. */
  readonly connected?: boolean;
  readonly objectsDone: number;
  readonly objectsTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  /** When the last push about this peer arrived (ms since the epoch), 0 before any progress. */
  readonly at: number;
}

export interface StatusFeedContext {
  readonly peers: Readonly<Record<string, PeerStatus>>;
}

export type StatusFeedEvent =
  | { type: 'status.syncProgress'; peer: string; objectsDone: number; objectsTotal: number; bytesDone: number; bytesTotal: number; at: number }
  | { type: 'status.federationConnected'; peer: string; connected: boolean; at: number };

/** At most this many peers are remembered; the least recently heard goes first. */
export const MAX_PEERS = 64;

const EMPTY: Omit<PeerStatus, 'peer'> = { objectsDone: 0, objectsTotal: 0, bytesDone: 0, bytesTotal: 0, at: 0 };

function withPeer(peers: StatusFeedContext['peers'], next: PeerStatus): StatusFeedContext['peers'] {
  const all = { ...peers, [next.peer]: next };
  const ids = Object.keys(all);
  if (ids.length <= MAX_PEERS) return all;
  const oldest = ids.reduce((a, b) => (all[a]!.at <= all[b]!.at ? a : b));
  delete all[oldest];
  return all;
}

export const statusFeedMachine = setup({
  types: {} as { context: StatusFeedContext; events: StatusFeedEvent },
  actions: {
    keepProgress: assign({
      peers: ({ context, event }) => {
        if (event.type !== 'status.syncProgress') return context.peers;
        const { type: _type, ...progress } = event;
        return withPeer(context.peers, { ...(context.peers[event.peer] ?? EMPTY), ...progress });
      },
    }),
    keepConnection: assign({
      peers: ({ context, event }) => {
        if (event.type !== 'status.federationConnected') return context.peers;
        return withPeer(context.peers, { ...(context.peers[event.peer] ?? { ...EMPTY, peer: event.peer }), connected: event.connected, at: event.at });
      },
    }),
  },
}).createMachine({
  id: 'statusFeed',
  context: { peers: {} },
  initial: 'listening',
  states: {
    listening: {
      on: {
        'status.syncProgress': { actions: 'keepProgress' },
        'status.federationConnected': { actions: 'keepConnection' },
      },
    },
  },
});
