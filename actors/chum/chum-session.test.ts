import { describe, expect, it } from 'vitest';
import type { ChumClock } from './chum-session.ts';
import { ChumSession, STALL_TIMEOUT_MS } from './chum-session.ts';
import { connect, crypto, fakeId, testPeer } from './chum-test-kit.ts';
import { MemoryLink } from './memory-link.ts';
import { decodeMessage, encodeMessage, PROTOCOL_VERSION } from './messages.ts';

/** A clock whose timers fire only when the test advances it. */
class TestClock implements ChumClock {
  now = 0;
  readonly #timers = new Set<{ at: number; callback: () => void }>();
  schedule(callback: () => void, delayMs: number): () => void {
    const timer = { at: this.now + delayMs, callback };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const timer of [...this.#timers]) {
      if (timer.at > this.now) continue;
      this.#timers.delete(timer);
      timer.callback();
    }
  }
}

const lone = (clock?: ChumClock) => {
  const link = new MemoryLink();
  const peer = testPeer('alone');
  const session = ChumSession.start({ store: peer.store, crypto, port: link.b, peer: { personId: fakeId('p'), instanceId: fakeId('i') }, ...(clock ? { clock } : {}) });
  const heard: string[] = [];
  link.a.onMessage((body) => heard.push(decodeMessage(body).t));
  return { link, session, heard };
};

describe('ChumSession', () => {
  it('gives up on a peer that never greets, after the stall timeout', async () => {
    const clock = new TestClock();
    const { session, heard } = lone(clock);
    await session.idle();
    clock.advance(STALL_TIMEOUT_MS - 1);
    expect(session.state).toBe('greeting');
    clock.advance(1);
    expect(session.state).toBe('failed');
    expect(session.error?.code).toBe('TIMEOUT');
    await Promise.resolve();
    expect(heard).toEqual(['hello', 'error']);
  });

  it('keeps no timer while live with nothing asked', async () => {
    const clock = new TestClock();
    const c = connect(testPeer('a'), testPeer('b'), { a: { clock }, b: { clock } });
    await c.settle();
    expect([c.a.state, c.b.state]).toEqual(['live', 'live']);
    clock.advance(10 * STALL_TIMEOUT_MS);
    expect([c.a.state, c.b.state]).toEqual(['live', 'live']);
  });

  it('refuses another protocol version, older or newer', async () => {
    for (const v of [PROTOCOL_VERSION - 1, PROTOCOL_VERSION + 1]) {
      const { link, session } = lone();
      link.a.send(encodeMessage({ t: 'hello', v, store: '0'.repeat(32) }));
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(session.error?.code).toBe('VERSION');
    }
  });

  it('refuses anything before hello', async () => {
    const { link, session } = lone();
    link.a.send(encodeMessage({ t: 'ack', n: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(session.error?.code).toBe('PROTOCOL');
  });

  it('closes both ends, and answers fetches after the end with nothing', async () => {
    const c = connect(testPeer('a'), testPeer('b'));
    await c.settle();
    c.a.close('done');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect([c.a.state, c.b.state]).toEqual(['closed', 'closed']);
    expect(await c.b.fetch([fakeId('x')])).toEqual({ fetched: [], missing: [fakeId('x')] });
  });
});
