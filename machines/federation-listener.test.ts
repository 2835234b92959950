import { describe, expect, it } from 'vitest';
import { listenerHarness } from '../tests/model/federation-harness.ts';
import { handshakingCount } from './federation-listener.ts';

describe('federation listener machine', () => {
  it('binds, then listens, announcing the bound port', () => {
    const h = listenerHarness({ port: 0 });
    h.actor.start();
    try {
      expect(h.state()).toEqual({ running: 'starting' });
      expect(h.listen().input).toEqual({ port: 0 });
      h.bind(43_210);
      expect(h.state()).toEqual({ running: 'listening' });
      expect(h.context().port).toBe(43_210);
      expect(h.emitted).toEqual([{ type: 'federation.listening', port: 43_210 }]);
    } finally {
      h.actor.stop();
    }
  });

  it('fails with the reason when the port is in use', () => {
    const h = listenerHarness();
    h.actor.start();
    try {
      const reason = { code: 'PORT_IN_USE', message: 'port 8765 on 127.0.0.1 is already in use' };
      h.listen().send({ type: 'listener.failed', reason });
      expect(h.state()).toBe('failed');
      expect(h.context().reason).toEqual(reason);
      expect(h.actor.getSnapshot().status).toBe('done');
      expect(h.listen().stopped).toBe(true);
    } finally {
      h.actor.stop();
    }
  });

  it('fails with LISTEN_FAILED when the listen actor itself throws', () => {
    const h = listenerHarness(undefined, { listenThrows: true });
    h.actor.start();
    try {
      expect(h.state()).toBe('failed');
      expect(h.context().reason).toEqual({ code: 'LISTEN_FAILED', message: 'no sockets on this machine' });
    } finally {
      h.actor.stop();
    }
  });

  it('gives each accepted socket its own connection child, as acceptor with that socket', () => {
    const h = listenerHarness();
    h.actor.start();
    try {
      h.bind();
      const [a, b] = [h.accept(), h.accept()];
      expect(h.children()).toEqual(['connection-1', 'connection-2']);
      expect(h.links.get(a)?.input).toEqual({ role: 'acceptor', socket: a });
      expect(h.links.get(b)?.input).toEqual({ role: 'acceptor', socket: b });
      expect(h.context()).toMatchObject({ accepted: 2, refused: 0, connections: { 'connection-1': 'handshaking', 'connection-2': 'handshaking' } });
    } finally {
      h.actor.stop();
    }
  });

  it('refuses sockets while maxHandshaking connections are in handshake; established ones do not count', () => {
    const h = listenerHarness({ port: 8765, maxHandshaking: 2 });
    h.actor.start();
    try {
      h.bind();
      const [a] = [h.accept(), h.accept()];
      const refused = h.accept();
      expect(h.links.has(refused)).toBe(false);
      expect(h.listen().commands).toEqual([{ type: 'listener.refuse', socket: refused, reason: '2 connections are in handshake: try again later' }]);
      expect(h.context().refused).toBe(1);
      h.establish(a);
      expect(handshakingCount(h.context())).toBe(1);
      const taken = h.accept();
      expect(h.links.has(taken)).toBe(true);
      expect(h.children()).toHaveLength(3);
    } finally {
      h.actor.stop();
    }
  });

  it('relays connections up and down, and forgets (stops) a connection once it is down', () => {
    const h = listenerHarness();
    h.actor.start();
    try {
      h.bind();
      const socket = h.accept();
      h.establish(socket);
      h.drop(socket, 'TAMPERED');
      expect(h.emitted.map((e) => e.type)).toEqual(['federation.listening', 'connection.up', 'connection.down']);
      expect(h.emitted[2]).toMatchObject({ id: 'connection-1', reason: { code: 'TAMPERED' }, redial: false });
      expect(h.children()).toEqual([]);
      expect(h.context().connections).toEqual({});
    } finally {
      h.actor.stop();
    }
  });

  it('stopping stops every connection (closing its socket) and the server', () => {
    const h = listenerHarness();
    h.actor.start();
    try {
      h.bind();
      const sockets = [h.accept(), h.accept()];
      h.establish(sockets[0]);
      h.actor.send({ type: 'listener.stop' });
      expect(h.state()).toBe('stopped');
      expect(sockets.map((socket) => h.links.get(socket)!.stopped)).toEqual([true, true]);
      expect(h.listen().stopped).toBe(true);
      expect(h.children()).toEqual([]);
    } finally {
      h.actor.stop();
    }
  });

  it('a server that fails while listening takes its connections down with it', () => {
    const h = listenerHarness();
    h.actor.start();
    try {
      h.bind();
      const socket = h.accept();
      h.listen().send({ type: 'listener.failed', reason: { code: 'LISTEN_FAILED', message: 'EMFILE' } });
      expect(h.state()).toBe('failed');
      expect(h.links.get(socket)!.stopped).toBe(true);
    } finally {
      h.actor.stop();
    }
  });
});
