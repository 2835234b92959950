import { createActor, fromCallback, fromPromise, SimulatedClock, type EventObject } from 'xstate';
import {
  connectionMachine,
  type ConnectionInput,
  type ConnectionStatus,
  type LinkCommand,
  type LinkEvent,
  type LinkInput,
  type PeerIds,
  type PeerSession,
  type SessionInput,
  type SyncEvent,
} from '../../machines/connection.ts';
import { Deferred } from './model-harness.ts';

/**
 * The connection machine with every effect faked and settled by hand: the test plays the link (the
 * socket and its secure channel), pairing and CHUM. Shared by machines/connection.test.ts and the
 * model-based suite.
 */
export const PEER: PeerIds = { personId: 'a'.repeat(64), instanceId: 'b'.repeat(64) };

export const SESSION: PeerSession = { send: () => {}, on: () => () => {} };

export interface FakeLink {
  readonly input: LinkInput;
  readonly commands: LinkCommand[];
  stopped: boolean;
  send(event: LinkEvent): void;
}

export interface FakeSync {
  readonly input: SessionInput;
  stopped: boolean;
  send(event: SyncEvent): void;
}

export function connectionHarness(input: ConnectionInput, options: { linkThrows?: boolean } = {}) {
  const clock = new SimulatedClock();
  const links: FakeLink[] = [];
  const pairings: { input: SessionInput; result: Deferred<void> }[] = [];
  const syncs: FakeSync[] = [];
  const statuses: ConnectionStatus[] = [];
  const machine = connectionMachine.provide({
    actors: {
      link: fromCallback<LinkCommand, LinkInput>(({ input: linkInput, sendBack, receive }) => {
        if (options.linkThrows) throw new Error('no socket for you');
        const link: FakeLink = { input: linkInput, commands: [], stopped: false, send: (event) => sendBack(event) };
        links.push(link);
        receive((command) => link.commands.push(command));
        return () => {
          link.stopped = true;
        };
      }),
      pair: fromPromise<void, SessionInput>(({ input: pairInput }) => {
        const result = new Deferred<void>();
        pairings.push({ input: pairInput, result });
        return result.promise;
      }),
      sync: fromCallback<EventObject, SessionInput>(({ input: syncInput, sendBack }) => {
        const sync: FakeSync = { input: syncInput, stopped: false, send: (event) => sendBack(event) };
        syncs.push(sync);
        return () => {
          sync.stopped = true;
        };
      }),
    },
  });
  const actor = createActor(machine, { input, clock });
  actor.on('*', (status) => statuses.push(status));
  return {
    actor,
    clock,
    links,
    pairings,
    syncs,
    statuses,
    link: () => links.at(-1)!,
    sync: () => syncs.at(-1)!,
    pairing: () => pairings.at(-1)!,
    state: () => actor.getSnapshot().value,
    context: () => actor.getSnapshot().context,
    established: (contact: boolean) => links.at(-1)!.send({ type: 'link.established', peer: PEER, contact, session: SESSION }),
    closedBy: (code: string, message = code) => links.at(-1)!.send({ type: 'link.closed', reason: { code, message } }),
  };
}

export const DIALER: ConnectionInput = { role: 'dialer', url: 'ws://127.0.0.1:8765', token: 'one-time' };
export const ACCEPTOR: ConnectionInput = { role: 'acceptor', socket: { fake: 'socket' } };
