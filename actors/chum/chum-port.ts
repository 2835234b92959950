/**
 * What CHUM needs from a connection: whole binary messages, in order, both ways, and word of its
 * end. It knows nothing of sockets: a SecureConnection, a bare WebSocket or an in-memory pair
 * (tests) all fit behind it (specs/chum.md §2).
 */
export interface ChumPort {
  /** Sends one message (≤ MAX_MESSAGE_BYTES). After close it is dropped. */
  send(body: Uint8Array): void;
  /** Adds a listener for incoming messages; returns its removal. */
  onMessage(listener: (body: Uint8Array) => void): () => void;
  /** Adds a listener for the end of the link (either side closed it, or it broke); called once. */
  onClose(listener: (reason: string) => void): () => void;
  /** Closes the link; idempotent. */
  close(reason?: string): void;
}

/** The shape of actors/net's SecureConnection that CHUM uses (data messages, the close, and closing). */
export interface DataConnection {
  send(body: Uint8Array): void;
  on(type: 'data', listener: (body: Uint8Array) => void): () => void;
  on(type: 'closed', listener: (reason: { code: string; message: string }) => void): () => void;
  close(reason?: string): void;
}

/** CHUM over an established secure connection: the channel already authenticated the peer. */
export function portOverConnection(connection: DataConnection): ChumPort {
  return {
    send: (body) => {
      try {
        connection.send(body);
      } catch {
        // Sending after the connection closed: the close listener reports the end.
      }
    },
    onMessage: (listener) => connection.on('data', listener),
    onClose: (listener) => connection.on('closed', (reason) => listener(`${reason.code}: ${reason.message}`)),
    close: (reason) => connection.close(reason),
  };
}
