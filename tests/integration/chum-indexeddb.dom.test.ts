import { afterEach, describe, expect, it } from 'vitest';
import { connect, message, testPeer, testStore, topic } from '../../actors/chum/chum-test-kit.ts';
import { setAccess } from '../../actors/store/access.ts';
import { IndexedDbStorage } from '../../actors/store/indexeddb-storage.dom.ts';

/** The browser's sparse store: the open topic now, message bodies when they are on screen. */
describe('CHUM into the browser\'s IndexedDB store', () => {
  const names: string[] = [];
  afterEach(async () => {
    for (const name of names.splice(0)) await IndexedDbStorage.destroy(name);
  });

  it('takes the topic, defers the bodies, fetches the visible ones, and resumes after a reload', async () => {
    const node = testPeer('node');
    const name = `lama-chum-${crypto.randomUUID()}`;
    names.push(name);
    let browser = testPeer('browser', testStore(await IndexedDbStorage.open(name)));
    const messages = await node.store.putMany(Array.from({ length: 40 }, (_, i) => message(`m${i}`)));
    const t = await node.store.putVersioned(topic('open', messages));
    await setAccess(node.store, { id: t.idHash }, { persons: [browser.person] });
    const sparse = { policy: (item: { type?: string; reason: string }) => (item.type === 'TestMessage' || item.reason === 'reference' ? 'later' : 'now') } as const;

    const first = connect(node, browser, { b: sparse });
    await first.settle();
    expect(first.b.state).toBe('live');
    expect((await browser.store.getLatest(t.idHash))?.hash).toBe(t.hash);
    const onScreen = messages.slice(-10);
    const fetching = first.b.fetch(onScreen);
    await first.settle();
    expect((await fetching).fetched).toEqual(onScreen);
    expect((await browser.store.has(messages)).filter(Boolean)).toHaveLength(10);
    first.a.close();

    // A reload: the same database, a new session; nothing already acknowledged is offered again.
    await browser.store.close();
    browser = testPeer('browser', testStore(await IndexedDbStorage.open(name)));
    const [more] = await node.store.putMany([message('new')]);
    const v2 = await node.store.putVersioned(topic('open', [...messages, more!]));
    const second = connect(node, browser, { b: sparse });
    await second.settle();
    expect(await browser.store.has([v2.versionHash, v2.hash])).toEqual([true, true]);
    const offered = second.link.sent.a.length;
    expect(offered).toBeLessThan(10);
    second.a.close();
    await browser.store.close();
  });
});
