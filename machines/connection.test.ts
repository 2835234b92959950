import { describe, expect, it } from 'vitest';
import { createActor, fromCallback, type EventObject } from 'xstate';
import { ACCEPTOR, connectionHarness, DIALER, PEER, SESSION } from '../tests/model/connection-harness.ts';
import { settle } from '../tests/model/model-harness.ts';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, backoffDelay, CLOSE_GRACE_MS, type ConnectionStatus } from './connection.ts';

describe('connection machine', () => {
  it('dials a known contact: connecting → handshaking → up (syncing ⇄ idle), skipping pairing', () => {
    const h = connectionHarness(DIALER);
    h.actor.start();
    try {
      expect(h.state()).toEqual({ linked: 'connecting' });
      expect(h.link().input).toEqual({ role: 'dialer', url: DIALER.role === 'dialer' ? DIALER.url : '' });
      h.link().send({ type: 'link.opened' });
      expect(h.state()).toEqual({ linked: 'handshaking' });
      h.established(true);
      expect(h.state()).toEqual({ linked: { up: 'syncing' } });
      expect(h.pairings).toHaveLength(0);
      expect(h.sync().input).toEqual({ session: SESSION, peer: PEER, role: 'dialer', token: 'one-time' });
      h.sync().send({ type: 'sync.caughtUp' });
      expect(h.state()).toEqual({ linked: { up: 'idle' } });
      h.sync().send({ type: 'sync.behind' });
      expect(h.state()).toEqual({ linked: { up: 'syncing' } });
      expect(h.statuses.map((s) => s.type)).toEqual(['connection.established', 'connection.up']);
      expect(h.statuses[1]).toMatchObject({ peer: PEER, role: 'dialer' });
    } finally {
      h.actor.stop();
    }
  });

  it('accepts a stranger: handshaking → pairing → up once pairing is done', async () => {
    const h = connectionHarness(ACCEPTOR);
    h.actor.start();
    try {
      expect(h.state()).toEqual({ linked: 'handshaking' });
      expect(h.link().input).toEqual({ role: 'acceptor', socket: { fake: 'socket' } });
      h.established(false);
      expect(h.state()).toEqual({ linked: 'pairing' });
      expect(h.pairing().input).toEqual({ session: SESSION, peer: PEER, role: 'acceptor' });
      expect(h.syncs).toHaveLength(0);
      h.pairing().result.resolve();
      await settle();
      expect(h.state()).toEqual({ linked: { up: 'syncing' } });
      expect(h.statuses.map((s) => s.type)).toEqual(['connection.established', 'connection.up']);
      expect(h.statuses[0]).toMatchObject({ contact: false });
    } finally {
      h.actor.stop();
    }
  });

  it('a failed pairing says goodbye with the reason and does not redial: a one-time token is spent', async () => {
    const h = connectionHarness(DIALER);
    h.actor.start();
    try {
      h.link().send({ type: 'link.opened' });
      h.established(false);
      h.pairing().result.reject(new Error('token expired'));
      await settle();
      expect(h.state()).toEqual({ linked: 'closing' });
      expect(h.link().commands).toEqual([{ type: 'link.close', reason: 'token expired' }]);
      h.closedBy('LOCAL', 'token expired');
      expect(h.actor.getSnapshot().status).toBe('done');
      expect(h.link().stopped).toBe(true);
      expect(h.statuses.at(-1)).toMatchObject({ type: 'connection.down', reason: { code: 'PAIRING_FAILED', message: 'token expired' }, redial: false });
    } finally {
      h.actor.stop();
    }
  });

  it('a dialer that loses its link backs off with jitter, then redials; the delay doubles per failure and resets once up', () => {
    const h = connectionHarness(DIALER);
    h.actor.start();
    try {
      h.link().send({ type: 'link.opened' });
      h.established(true);
      h.closedBy('HEARTBEAT_TIMEOUT');
      expect(h.state()).toBe('backingOff');
      expect(h.links[0]!.stopped).toBe(true);
      expect(h.statuses.at(-1)).toMatchObject({ type: 'connection.down', peer: PEER, reason: { code: 'HEARTBEAT_TIMEOUT' }, redial: true });

      const delays: number[] = [];
      for (let failure = 1; failure <= 3; failure++) {
        const delay = h.context().backoffMs;
        delays.push(delay);
        expect(h.context().peer).toBeUndefined();
        h.clock.increment(delay - 1);
        expect(h.state()).toBe('backingOff');
        h.clock.increment(1);
        expect(h.state()).toEqual({ linked: 'connecting' });
        expect(h.links).toHaveLength(failure + 1);
        h.closedBy('CONNECT_FAILED');
      }
      delays.forEach((delay, i) => {
        const nominal = BACKOFF_BASE_MS * 2 ** i;
        expect(delay).toBeGreaterThanOrEqual(nominal / 2);
        expect(delay).toBeLessThanOrEqual(nominal);
      });

      h.clock.increment(h.context().backoffMs);
      h.link().send({ type: 'link.opened' });
      h.established(true);
      expect(h.context().attempt).toBe(0);
      h.closedBy('CLOSED');
      expect(h.context().backoffMs).toBeLessThanOrEqual(BACKOFF_BASE_MS);
    } finally {
      h.actor.stop();
    }
  });

  it('an accepted connection that loses its link is closed: the peer dials again if it wants to', () => {
    const h = connectionHarness(ACCEPTOR);
    h.actor.start();
    try {
      h.established(true);
      h.closedBy('TAMPERED', 'frame 3 does not authenticate');
      expect(h.actor.getSnapshot().status).toBe('done');
      expect(h.statuses.at(-1)).toMatchObject({ type: 'connection.down', reason: { code: 'TAMPERED', message: 'frame 3 does not authenticate' }, redial: false });
    } finally {
      h.actor.stop();
    }
  });

  it('connection.close says goodbye, keeps its own reason, and stops for good', () => {
    const h = connectionHarness(DIALER);
    h.actor.start();
    try {
      h.link().send({ type: 'link.opened' });
      h.established(true);
      h.actor.send({ type: 'connection.close', reason: 'contact removed' });
      expect(h.state()).toEqual({ linked: 'closing' });
      expect(h.sync().stopped).toBe(true);
      expect(h.link().commands).toEqual([{ type: 'link.close', reason: 'contact removed' }]);
      h.actor.send({ type: 'connection.close', reason: 'again' });
      expect(h.link().commands).toHaveLength(1);
      h.closedBy('LOCAL', 'whatever the link says');
      expect(h.actor.getSnapshot().status).toBe('done');
      expect(h.statuses.at(-1)).toMatchObject({ reason: { code: 'LOCAL', message: 'contact removed' }, redial: false });
    } finally {
      h.actor.stop();
    }
  });

  it('leaves closing after the grace period when the link never confirms, stopping the link', () => {
    const h = connectionHarness(ACCEPTOR);
    h.actor.start();
    try {
      h.actor.send({ type: 'connection.close' });
      h.clock.increment(CLOSE_GRACE_MS - 1);
      expect(h.state()).toEqual({ linked: 'closing' });
      h.clock.increment(1);
      expect(h.actor.getSnapshot().status).toBe('done');
      expect(h.link().stopped).toBe(true);
    } finally {
      h.actor.stop();
    }
  });

  it('connection.close while backing off stops without dialing again', () => {
    const h = connectionHarness(DIALER);
    h.actor.start();
    try {
      h.closedBy('CONNECT_FAILED');
      h.actor.send({ type: 'connection.close' });
      expect(h.actor.getSnapshot().status).toBe('done');
      h.clock.increment(BACKOFF_MAX_MS);
      expect(h.links).toHaveLength(1);
    } finally {
      h.actor.stop();
    }
  });

  it('a failed sync closes the link with SYNC_FAILED; a dialer then redials (CHUM resumes where it stopped)', () => {
    const h = connectionHarness(DIALER);
    h.actor.start();
    try {
      h.link().send({ type: 'link.opened' });
      h.established(true);
      h.sync().send({ type: 'sync.failed', message: 'object 12ab… has a bad signature' });
      expect(h.state()).toEqual({ linked: 'closing' });
      h.closedBy('LOCAL');
      expect(h.state()).toBe('backingOff');
      expect(h.statuses.at(-1)).toMatchObject({ reason: { code: 'SYNC_FAILED' }, redial: true });
    } finally {
      h.actor.stop();
    }
  });

  it('a link actor that throws counts as a lost link (LINK_FAILED)', () => {
    const h = connectionHarness(ACCEPTOR, { linkThrows: true });
    h.actor.start();
    try {
      expect(h.actor.getSnapshot().status).toBe('done');
      expect(h.statuses.at(-1)).toMatchObject({ type: 'connection.down', reason: { code: 'LINK_FAILED', message: 'no socket for you' } });
    } finally {
      h.actor.stop();
    }
  });

  it('sends its statuses to reportTo too, named by its id', () => {
    const reports: ConnectionStatus[] = [];
    const recorder = createActor(fromCallback<EventObject>(({ receive }) => receive((event) => reports.push(event as ConnectionStatus)))).start();
    const h = connectionHarness({ ...ACCEPTOR, reportTo: recorder });
    h.actor.start();
    try {
      h.established(true);
      h.closedBy('CLOSED');
      expect(reports.map((r) => [r.type, r.id])).toEqual([
        ['connection.established', h.actor.id],
        ['connection.up', h.actor.id],
        ['connection.down', h.actor.id],
      ]);
    } finally {
      h.actor.stop();
      recorder.stop();
    }
  });
});

describe('backoffDelay', () => {
  it('is exponential with equal jitter, capped', () => {
    expect(backoffDelay(1, 0)).toBe(BACKOFF_BASE_MS / 2);
    expect(backoffDelay(1, 0.999)).toBe(BACKOFF_BASE_MS);
    expect(backoffDelay(3, 0)).toBe(BACKOFF_BASE_MS * 2);
    expect(backoffDelay(50, 0)).toBe(BACKOFF_MAX_MS / 2);
    expect(backoffDelay(50, 0.9999)).toBeLessThanOrEqual(BACKOFF_MAX_MS);
    expect(backoffDelay(50, 0.9999)).toBeGreaterThan(BACKOFF_MAX_MS - 5);
  });
});
