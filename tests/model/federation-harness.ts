import { createActor, fromCallback, fromPromise, SimulatedClock, type EventObject } from 'xstate';
import { connectionMachine, type LinkCommand, type LinkInput, type SessionInput } from '../../machines/connection.ts';
import { federationListenerMachine, type ListenCommand, type ListenEvent, type ListenInput, type ListenerEmitted, type ListenerInput } from '../../machines/federation-listener.ts';
import { PEER, SESSION, type FakeLink } from './connection-harness.ts';

/**
 * The federation listener with a fake server (`listen`) and real connection children whose links
 * are fake: the test accepts sockets, and plays each link's handshake and loss; the connections'
 * reports to the listener are real. Shared by machines/federation-listener.test.ts and the model.
 */
export interface FakeListen {
  readonly input: ListenInput;
  readonly commands: ListenCommand[];
  stopped: boolean;
  send(event: ListenEvent): void;
}

export function listenerHarness(input: ListenerInput = { port: 8765, maxHandshaking: 2 }, options: { listenThrows?: boolean } = {}) {
  const clock = new SimulatedClock();
  const listens: FakeListen[] = [];
  const links = new Map<unknown, FakeLink>();
  const emitted: ListenerEmitted[] = [];
  let sockets = 0;
  const connection = connectionMachine.provide({
    actors: {
      link: fromCallback<LinkCommand, LinkInput>(({ input: linkInput, sendBack, receive }) => {
        const link: FakeLink = { input: linkInput, commands: [], stopped: false, send: (event) => sendBack(event) };
        links.set(linkInput.role === 'acceptor' ? linkInput.socket : linkInput.url, link);
        receive((command) => link.commands.push(command));
        return () => {
          link.stopped = true;
        };
      }),
      // Pairing and CHUM are not the listener's business: they just stay busy.
      pair: fromPromise<void, SessionInput>(() => new Promise(() => {})),
      sync: fromCallback<EventObject, SessionInput>(() => {}),
    },
  });
  const machine = federationListenerMachine.provide({
    actors: {
      listen: fromCallback<ListenCommand, ListenInput>(({ input: listenInput, sendBack, receive }) => {
        if (options.listenThrows) throw new Error('no sockets on this machine');
        const listen: FakeListen = { input: listenInput, commands: [], stopped: false, send: (event) => sendBack(event) };
        listens.push(listen);
        receive((command) => listen.commands.push(command));
        return () => {
          listen.stopped = true;
        };
      }),
      connection,
    },
  });
  const actor = createActor(machine, { input, clock });
  actor.on('*', (event) => emitted.push(event));
  const listen = () => listens.at(-1)!;
  return {
    actor,
    listens,
    links,
    emitted,
    listen,
    context: () => actor.getSnapshot().context,
    state: () => actor.getSnapshot().value,
    /** The connection children alive now. */
    children: () => Object.keys(actor.getSnapshot().children).filter((id) => id.startsWith('connection-')),
    bind: (port = 43_210) => listen().send({ type: 'listener.bound', port }),
    /** A new socket arrives; returns it (its link exists only if the listener took it). */
    accept: () => {
      const socket = { socket: ++sockets };
      listen().send({ type: 'listener.accepted', socket });
      return socket;
    },
    establish: (socket: unknown) => links.get(socket)!.send({ type: 'link.established', peer: PEER, contact: true, session: SESSION }),
    drop: (socket: unknown, code = 'CLOSED') => links.get(socket)!.send({ type: 'link.closed', reason: { code, message: code } }),
  };
}
