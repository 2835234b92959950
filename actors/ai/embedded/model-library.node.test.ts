import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GgufServer } from '../../../tests/support/gguf-server.node.ts';
import { TINY_LLAMA, testModelPath } from '../../../tests/support/gguf-test-model.node.ts';
import { isLlmError } from '../llm-provider.ts';
import type { PinnedModel } from './default-model.ts';
import { isEmbeddedError, type EmbeddedModelError } from './embedded-error.ts';
import type { DownloadStatus } from './embedded-models.ts';
import { ModelLibrary } from './model-library.node.ts';

// The library of embedded models in a data folder: picked files (checked, remembered, forgotten),
// and the default model's shared, resumable download from a local server.

let tiny: Uint8Array;
let tinyPath: string;
let server: GgufServer;
let dir: string;
let pinned: PinnedModel;

beforeAll(async () => {
  tinyPath = await testModelPath({ shape: TINY_LLAMA });
  tiny = new Uint8Array(await readFile(tinyPath));
});
beforeEach(async () => {
  server = await GgufServer.start(tiny);
  dir = await mkdtemp(join(tmpdir(), 'lama-library-'));
  pinned = { id: 'default.gguf', name: 'Default', url: server.url, size: tiny.length, sha256: createHash('sha256').update(tiny).digest('hex'), licence: 'none' };
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const library = (overrides: Partial<PinnedModel> = {}) => new ModelLibrary({ dataDir: join(dir, 'data'), pinned: { ...pinned, ...overrides } });

async function copyOfTiny(name: string, folder = 'elsewhere'): Promise<string> {
  await mkdir(join(dir, folder), { recursive: true });
  const path = join(dir, folder, name);
  await copyFile(tinyPath, path);
  return path;
}

describe('ModelLibrary', () => {
  it('remembers a picked file across restarts, once, and forgets it without touching the file', async () => {
    const path = await copyOfTiny('mine.gguf');
    const picked = await library().pick(path);
    expect(picked).toEqual({ id: 'mine.gguf', path, name: 'LAMA test model (random weights)', contextLength: TINY_LLAMA.context, origin: 'picked' });
    await library().pick(path);
    const later = library();
    expect(await later.list()).toEqual([picked]);
    expect(await later.ensure('mine.gguf')).toEqual(picked);

    await later.forget('mine.gguf');
    expect(await library().list()).toEqual([]);
    expect(existsSync(path)).toBe(true);
  });

  it('refuses a second file of the same name, and leaves out a picked file that went away', async () => {
    const first = await copyOfTiny('same.gguf', 'a');
    const second = await copyOfTiny('same.gguf', 'b');
    await library().pick(first);
    const clash = (await library().pick(second).catch((e: unknown) => e)) as EmbeddedModelError;
    expect(isEmbeddedError(clash, 'NAME_TAKEN')).toBe(true);
    expect(clash.message).toContain(first);

    await rm(first);
    expect(await library().list()).toEqual([]);
    const gone = (await library().ensure('same.gguf').catch((e: unknown) => e)) as EmbeddedModelError;
    expect([gone.code, gone.reason]).toEqual(['MODEL_MISSING', 'FILE_MISSING']);
  });

  it('notices a picked file that changed since it was checked', async () => {
    const path = await copyOfTiny('changing.gguf');
    const lib = library();
    await lib.pick(path);
    await writeFile(path, 'overwritten with something else');
    const error = (await lib.ensure('changing.gguf').catch((e: unknown) => e)) as EmbeddedModelError;
    expect([error.reason, error.detail]).toEqual(['BAD_GGUF', 'BAD_MAGIC']);
  });

  it('shrugs off a damaged list of picked files', async () => {
    await mkdir(join(dir, 'data', 'models'), { recursive: true });
    await writeFile(join(dir, 'data', 'models', 'picked.json'), '{ not json');
    expect(await library().list()).toEqual([]);
    await library().pick(await copyOfTiny('after.gguf'));
    expect((await library().list()).map((m) => m.id)).toEqual(['after.gguf']);
  });

  it('downloads the default model once for callers who need it at the same time, with progress for each', async () => {
    const lib = library();
    const seen: DownloadStatus[][] = [[], []];
    const [a, b] = await Promise.all([lib.ensure('default.gguf', { onDownload: (s) => seen[0]!.push(s) }), lib.ensure('default.gguf', { onDownload: (s) => seen[1]!.push(s) })]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ id: 'default.gguf', origin: 'default', path: join(dir, 'data', 'models', 'default.gguf') });
    expect(server.requests).toHaveLength(1);
    for (const statuses of seen) expect(statuses.at(-1)).toEqual({ model: 'default.gguf', received: tiny.length, total: tiny.length });
    expect((await lib.list()).map((m) => m.id)).toEqual(['default.gguf']);
  });

  it('keeps downloading while anyone still waits for it', async () => {
    server.fault({ holdAfter: 20_000 });
    const lib = library();
    const leaving = new AbortController();
    let left: unknown;
    const reached = new Promise<void>((resolve) => {
      lib.ensure('default.gguf', { signal: leaving.signal, onDownload: (s) => s.received === 20_000 && resolve() }).catch((e: unknown) => (left = e));
    });
    const stays = lib.ensure('default.gguf');
    await reached;
    leaving.abort();
    server.cut(); // the download must still be alive to resume after this
    expect(await stays).toMatchObject({ id: 'default.gguf' });
    expect(isLlmError(left, 'CANCELLED')).toBe(true);
    expect(server.requests.map((r) => r.range)).toEqual([undefined, 'bytes=20000-']);
  });

  it('stops the download when its last caller gives up, keeping the part for the next time', async () => {
    server.fault({ holdAfter: 20_000 });
    const lib = library();
    const controller = new AbortController();
    const error = await lib.ensure('default.gguf', { signal: controller.signal, onDownload: (s) => s.received === 20_000 && controller.abort() }).catch((e: unknown) => e);
    expect(isLlmError(error, 'CANCELLED')).toBe(true);
    expect((await stat(join(dir, 'data', 'models', 'default.gguf.part'))).size).toBe(20_000);
    expect(existsSync(join(dir, 'data', 'models', 'default.gguf'))).toBe(false);

    await lib.ensure('default.gguf');
    expect(server.requests.map((r) => r.range)).toEqual([undefined, 'bytes=20000-']);
  });

  it('reports a download that fails its checksum as NOT_DOWNLOADED, saying the file was deleted', async () => {
    const error = (await library({ sha256: 'f'.repeat(64) })
      .ensure('default.gguf')
      .catch((e: unknown) => e)) as EmbeddedModelError;
    expect([error.code, error.reason, error.detail]).toEqual(['NOT_DOWNLOADED', 'DOWNLOAD_FAILED', 'CHECKSUM_MISMATCH']);
    expect(error.message).toMatch(/did not match its pinned checksum, so it was deleted/);
    expect(existsSync(join(dir, 'data', 'models', 'default.gguf'))).toBe(false);
  });
});
