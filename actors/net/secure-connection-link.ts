import { fromCallback } from 'xstate';
import type { LinkCommand, LinkInput } from '../../machines/connection.ts';
import { CLOSE_CODE, type FramePort } from './frame-port.ts';
import { SecureConnection, type SecureConnectionOptions } from './secure-connection.ts';

export interface SecureLinkOptions extends SecureConnectionOptions {
  /** Opens a socket to a dialed URL: `connectWebSocket` of ws-client.node.ts or ws-client.dom.ts. */
  readonly dial: (url: string) => FramePort;
}

/**
 * The connection machine's `link` actor: a SecureConnection over the socket it dials, or the one
 * the listener accepted, reported as LinkEvents. The session it hands on is the connection itself.
 * Stopping the actor (the machine left `linked`) closes the socket with GOING_AWAY, saying goodbye
 * first if the channel is open.
 */
export function secureLink(options: SecureLinkOptions) {
  return fromCallback<LinkCommand, LinkInput>(({ input, sendBack, receive }) => {
    const port = input.role === 'dialer' ? options.dial(input.url) : (input.socket as FramePort);
    const connection = input.role === 'dialer' ? SecureConnection.dial(port, options) : SecureConnection.accept(port, options);
    if (input.role === 'dialer') {
      if (port.state === 'open') sendBack({ type: 'link.opened' });
      else port.on('open', () => sendBack({ type: 'link.opened' }));
    }
    connection.on('established', ({ peer, contact }) =>
      sendBack({ type: 'link.established', peer: { personId: peer.personId, instanceId: peer.instanceId }, contact, session: connection }),
    );
    connection.on('closed', (reason) => sendBack({ type: 'link.closed', reason }));
    receive((command) => connection.close(command.reason));
    return () => connection.close('going away', CLOSE_CODE.goingAway);
  });
}
