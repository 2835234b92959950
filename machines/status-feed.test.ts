import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { MAX_PEERS, statusFeedMachine } from './status-feed.ts';

describe('statusFeedMachine', () => {
  it('keeps each peer\'s latest progress and whether its connection is up', () => {
    const feed = createActor(statusFeedMachine).start();
    try {
      feed.send({ type: 'status.federationConnected', peer: 'browser', connected: true, at: 1 });
      feed.send({ type: 'status.syncProgress', peer: 'browser', objectsDone: 10, objectsTotal: 40, bytesDone: 100, bytesTotal: 400, at: 2 });
      feed.send({ type: 'status.syncProgress', peer: 'browser', objectsDone: 40, objectsTotal: 40, bytesDone: 400, bytesTotal: 400, at: 3 });
      feed.send({ type: 'status.syncProgress', peer: 'phone', objectsDone: 1, objectsTotal: 2, bytesDone: 5, bytesTotal: 9, at: 4 });
      feed.send({ type: 'status.federationConnected', peer: 'browser', connected: false, at: 5 });
      expect(feed.getSnapshot().context.peers).toEqual({
        browser: { peer: 'browser', connected: false, objectsDone: 40, objectsTotal: 40, bytesDone: 400, bytesTotal: 400, at: 5 },
        phone: { peer: 'phone', objectsDone: 1, objectsTotal: 2, bytesDone: 5, bytesTotal: 9, at: 4 },
      });
    } finally {
      feed.stop();
    }
  });

  it('forgets the peer heard from least recently beyond its bound', () => {
    const feed = createActor(statusFeedMachine).start();
    try {
      for (let i = 0; i <= MAX_PEERS; i++) feed.send({ type: 'status.federationConnected', peer: `p${i}`, connected: true, at: i + 1 });
      const peers = feed.getSnapshot().context.peers;
      expect(Object.keys(peers)).toHaveLength(MAX_PEERS);
      expect(peers.p0).toBeUndefined();
      expect(peers[`p${MAX_PEERS}`]?.connected).toBe(true);
    } finally {
      feed.stop();
    }
  });
});
