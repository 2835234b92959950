import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, crypto, message, objectsOf, testPeer, testStore, topic, verifyAll } from '../../actors/chum/chum-test-kit.ts';
import { setAccess } from '../../actors/store/access.ts';
import { SqliteStorage } from '../../actors/store/sqlite-storage.node.ts';

/** CHUM between two real SQLite archives, including a resume across closing and reopening both. */
describe('CHUM between two SQLite archives', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const archive = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lama-chum-'));
    dirs.push(dir);
    return { dir, store: testStore(await SqliteStorage.open(dir)) };
  };

  it('syncs, cuts, reopens both archives and resumes from the saved cursor', async () => {
    const [archiveA, archiveB] = [await archive(), await archive()];
    const a = testPeer('a', archiveA.store);
    let b = testPeer('b', archiveB.store);
    const blob = await a.store.writeBlob([new Uint8Array(300_000).fill(3)]);
    const messages = await a.store.putMany(Array.from({ length: 3000 }, (_, i) => message(`message ${i}`, i === 0 ? { attachment: blob } : {})));
    const t = await a.store.putVersioned(topic('archive', messages));
    await setAccess(a.store, { id: t.idHash }, { persons: [b.person] });

    const first = connect(a, b, { link: { manual: true } });
    let stored = 0;
    b.store.onWrite((write) => (stored += write.objects.length));
    await first.settle(() => {
      if (stored > 0) first.link.cut('unplugged');
      return 0;
    });
    await b.store.close();
    b = testPeer('b', testStore(await SqliteStorage.open(archiveB.dir)));
    const partial = (await objectsOf(b.store)).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(3004);

    const second = connect(a, b);
    await second.settle();
    expect([second.a.state, second.b.state]).toEqual(['live', 'live']);
    expect(await b.store.has([...messages, t.versionHash, t.idHash])).not.toContain(false);
    expect(await b.store.hasBlob(blob)).toBe(true);
    expect((await b.store.getLatest(t.idHash))?.hash).toBe(t.hash);
    await verifyAll(b.store);
    expect(crypto.sha256Hex(new Uint8Array(300_000).fill(3))).toBe(blob);
    second.a.close();
    await Promise.all([a.store.close(), b.store.close()]);
  });
});
