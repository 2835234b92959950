import { describe, expect, it } from 'vitest';
import { connect, type Connected } from '../chum/chum-test-kit.ts';
import type { SHA256Hash } from '../store/hash.ts';
import { chatUser } from './chat-test-kit.ts';
import { liveSparseChatPolicy, sparseChatPolicy } from './sparse-policy.ts';
import { followTopic } from './topic-feed.ts';
import type { StoredMessage } from './message-order.ts';
import { shareTopicsAsTheyArrive } from './topic-sharing.ts';

/** A full archive (the Node) and a sparse store (the browser) chatting over CHUM on the in-memory link. */
async function pair(policy = sparseChatPolicy) {
  let clock = 1_000;
  const now = () => ++clock;
  const node = await chatUser('Ada (node)', { now });
  let connected: Connected | undefined;
  const fetched: SHA256Hash[][] = [];
  const browser = await chatUser('Bob (browser)', {
    now,
    fetchMissing: async (hashes: readonly SHA256Hash[]) => {
      fetched.push([...hashes]);
      await connected!.b.fetch(hashes);
    },
  });
  const stops = [shareTopicsAsTheyArrive(node.store, node.chat, { debounceMs: 1 }), shareTopicsAsTheyArrive(browser.store, browser.chat, { debounceMs: 1 })];
  const open = () => {
    connected = connect(node, browser, { b: { policy } });
    return connected;
  };
  return { node, browser, open, fetched, stop: () => stops.forEach((s) => s()) };
}

const waitFor = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('timed out');
};

describe('chat over CHUM: a full archive and a sparse browser store', () => {
  it('the browser gets the structure at once and the bodies of what is on screen when it looks', async () => {
    const { node, browser, open, stop } = await pair();
    try {
      const { idHash } = await node.chat.directTopic(browser.person, 'Bob');
      const sent = [];
      for (let i = 0; i < 20; i++) sent.push(await node.chat.send(idHash, `message ${i}`));
      const c = open();
      await c.settle();
      expect((await browser.chat.topics()).map((t) => t.idHash)).toEqual([idHash]);
      // Every message is known by its version, none of the bodies is here yet.
      expect((await browser.chat.messageRefs(idHash)).map((r) => r.hash)).toEqual(sent.map((s) => s.hash));
      expect(await browser.store.has(sent.map((s) => s.hash))).toEqual(sent.map(() => false));

      const screen = await browser.chat.messages(idHash, { limit: 5 });
      expect(screen.map((m) => m.message.text)).toEqual(['message 15', 'message 16', 'message 17', 'message 18', 'message 19']);
      expect(await browser.store.has(sent.map((s) => s.hash))).toEqual(sent.map((_, i) => i >= 15));
      const older = await browser.chat.messages(idHash, { limit: 5, before: screen[0]!.hash });
      expect(older.map((m) => m.message.text)).toEqual(['message 10', 'message 11', 'message 12', 'message 13', 'message 14']);
    } finally {
      stop();
    }
  });

  it('a message written on either side appears on the other while the session is live', async () => {
    const { node, browser, open, stop } = await pair();
    try {
      const { idHash } = await node.chat.directTopic(browser.person, 'Bob');
      const c = open();
      await c.settle();
      await browser.chat.send(idHash, 'hi from the browser');
      await waitFor(async () => (await node.chat.messages(idHash)).some((m) => m.message.text === 'hi from the browser'));
      await node.chat.send(idHash, 'hi from the node');
      await c.settle();
      await waitFor(async () => (await browser.chat.messages(idHash)).length === 2);
      const seen = await browser.chat.messages(idHash);
      expect(seen.map((m) => [m.message.text, m.message.author])).toEqual([
        ['hi from the browser', browser.person],
        ['hi from the node', node.person],
      ]);
      expect((await node.chat.messages(idHash)).map((m) => m.hash)).toEqual(seen.map((m) => m.hash));
    } finally {
      stop();
    }
  });

  it('a followed topic hands over each new message once; live, the body comes with its version', async () => {
    let live = false;
    const { node, browser, open, fetched, stop } = await pair(liveSparseChatPolicy(() => live));
    const seen: StoredMessage[] = [];
    try {
      const { idHash } = await node.chat.directTopic(browser.person, 'Bob');
      await node.chat.send(idHash, 'backlog');
      const c = open();
      await c.settle();
      live = c.b.state === 'live';
      expect(live).toBe(true);
      const unfollow = followTopic(browser.store, browser.chat, idHash, (messages) => seen.push(...messages));
      await node.chat.send(idHash, 'one');
      await node.chat.send(idHash, 'two');
      await waitFor(async () => seen.length === 2);
      expect(seen.map((m) => m.message.text)).toEqual(['one', 'two']);
      // Nothing had to be fetched by hash: the live offers brought the bodies.
      expect(fetched).toEqual([]);
      // A message of another topic does not reach this feed.
      const other = await node.chat.createTopic({ name: 'other', participants: [browser.person] });
      await node.chat.send(other.idHash, 'elsewhere');
      await browser.chat.send(idHash, 'mine');
      await waitFor(async () => seen.length === 3);
      unfollow();
      expect(seen.map((m) => m.message.text)).toEqual(['one', 'two', 'mine']);
      // The backlog stayed behind.
      expect(await browser.store.has([(await node.chat.messages(idHash, { limit: 4 }))[0]!.hash])).toEqual([false]);
    } finally {
      stop();
    }
  });
});
