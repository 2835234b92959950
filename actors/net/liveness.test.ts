import { describe, expect, it } from 'vitest';
import { HEARTBEAT_INTERVAL_MS, Liveness, PEER_TIMEOUT_MS } from './liveness.ts';

describe('Liveness', () => {
  it('asks for a heartbeat once nothing was sent for the interval', () => {
    const liveness = new Liveness(0);
    expect(liveness.due(HEARTBEAT_INTERVAL_MS - 1)).toBeUndefined();
    expect(liveness.due(HEARTBEAT_INTERVAL_MS)).toBe('send-heartbeat');
    liveness.sent(HEARTBEAT_INTERVAL_MS);
    expect(liveness.due(HEARTBEAT_INTERVAL_MS + 1)).toBeUndefined();
    expect(liveness.nextDeadline()).toBe(2 * HEARTBEAT_INTERVAL_MS);
  });

  it('times the peer out after PEER_TIMEOUT_MS without a frame from it, whatever we sent', () => {
    const liveness = new Liveness(0);
    liveness.received(1_000);
    for (let t = 0; t < 1_000 + PEER_TIMEOUT_MS; t += 1_000) liveness.sent(t);
    expect(liveness.due(1_000 + PEER_TIMEOUT_MS - 1)).toBeUndefined();
    expect(liveness.due(1_000 + PEER_TIMEOUT_MS)).toBe('peer-timeout');
  });

  it('the next deadline is the earlier of the two', () => {
    const liveness = new Liveness(0);
    liveness.sent(40_000);
    expect(liveness.nextDeadline()).toBe(PEER_TIMEOUT_MS);
    liveness.received(40_000);
    expect(liveness.nextDeadline()).toBe(40_000 + HEARTBEAT_INTERVAL_MS);
  });
});
