import { spawn } from 'node:child_process';
import { platformCrypto } from '../../actors/crypto/platform.node.ts';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { SHA256Hash } from '../../actors/store/hash.ts';
import { ObjectStore } from '../../actors/store/object-store.ts';
import { SqliteStorage } from '../../actors/store/sqlite-storage.node.ts';
import { NoteRecipe, SettingRecipe } from '../../actors/store/storage-adapter-tests.ts';

const hasher = platformCrypto;

/** Runs the writer and SIGKILLs it once `killAfter` writes are acknowledged; returns the acknowledged lines. */
function writeThenKill(dir: string, killAfter: number): Promise<{ lines: string[]; signal: NodeJS.Signals | null }> {
  const writer = join(import.meta.dirname, 'fixtures', 'archive-writer.node.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, '10000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let buffered = '';
  child.stdout.on('data', (data: Buffer) => {
    buffered += data.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
    if (lines.length >= killAfter) child.kill('SIGKILL');
  });
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve({ lines, signal })));
}

describe('the SQLite archive under SIGKILL', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('keeps every acknowledged write and no half object after the writer is killed mid-way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lama-sigkill-'));
    dirs.push(dir);
    const { lines, signal } = await writeThenKill(dir, 4_000);
    expect(signal).toBe('SIGKILL');
    expect(lines).not.toContain('done');
    expect(lines.length).toBeGreaterThanOrEqual(4_000);

    // The database itself is sound.
    const raw = new Database(join(dir, 'archive.db'));
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = raw.prepare('SELECT lower(hex(hash)) AS hash, bytes FROM objects').all() as { hash: string; bytes: Buffer }[];
    raw.close();

    const store = new ObjectStore({ adapter: await SqliteStorage.open(dir), hasher, recipes: [NoteRecipe, SettingRecipe] });
    try {
      // Every stored object, acknowledged or not, verifies and decodes: nothing half-written.
      for (const { hash, bytes } of rows) expect(hasher.sha256Hex(bytes)).toBe(hash);
      await store.getMany(rows.map((r) => r.hash as SHA256Hash));

      // Every acknowledged write is readable.
      const acked = lines.map((line) => line.split(' '));
      const objects = acked.filter(([kind]) => kind === 'obj').map(([, hash]) => hash as SHA256Hash);
      expect((await store.getMany(objects)).every((o) => o?.$type$ === 'Note')).toBe(true);
      for (const [, hash] of acked.filter(([kind]) => kind === 'blob')) {
        let size = 0;
        for await (const chunk of await store.readBlob(hash as SHA256Hash)) size += chunk.byteLength;
        expect(size).toBe(3 * 256 * 1024);
      }
      // Every acknowledged version is in its history, and every head is a whole version.
      for (const [, idHash, versionHash] of acked.filter(([kind]) => kind === 'ver')) {
        const history = await store.getHistory(idHash as SHA256Hash);
        expect(history.map((h) => h.versionHash)).toContain(versionHash);
        const latest = await store.getLatest(idHash as SHA256Hash);
        expect(latest?.object.$type$).toBe('Setting');
      }
      // A BLOB being written when the process died never became visible, and its temp file is gone.
      expect(readdirSync(join(dir, 'blobs', 'incoming'))).toEqual([]);
    } finally {
      await store.close();
    }
  }, 120_000);
});
