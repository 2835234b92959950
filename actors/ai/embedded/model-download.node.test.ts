import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GgufServer } from '../../../tests/support/gguf-server.node.ts';
import { TINY_LLAMA, testModelPath } from '../../../tests/support/gguf-test-model.node.ts';
import { DownloadError, downloadFile, type DownloadProblem, type DownloadProgress, type DownloadSpec } from './model-download.node.ts';

// The downloader against a real HTTP server on 127.0.0.1 serving a generated GGUF (about 70 KB),
// with Range support and faults: dropped and stalled connections, a server that ignores Range or
// goes down, a 404, a wrong length, a wrong checksum, the caller stopping.

let model: Uint8Array;
let sha256: string;
let server: GgufServer;
let dir: string;

beforeAll(async () => {
  model = await readFile(await testModelPath({ shape: TINY_LLAMA }));
  sha256 = createHash('sha256').update(model).digest('hex');
});
beforeEach(async () => {
  server = await GgufServer.start(model);
  dir = await mkdtemp(join(tmpdir(), 'lama-download-'));
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const spec = (overrides: Partial<DownloadSpec> = {}): DownloadSpec => ({ url: server.url, size: model.length, sha256, dest: join(dir, 'model.gguf'), ...overrides });
const HALF = 20_000;
/** Progress callback that cuts the held connection once the first HALF bytes are written. */
const cutAtHalf = ({ received }: DownloadProgress) => received === HALF && server.cut();

async function failure(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DownloadError);
  return error as DownloadError;
}
const expectProblem = async (promise: Promise<unknown>, problem: DownloadProblem) => expect((await failure(promise)).problem).toBe(problem);

describe('downloadFile', () => {
  it('downloads, verifies and renames into place, reporting progress up to the total', async () => {
    const progress: DownloadProgress[] = [];
    await downloadFile(spec(), { onProgress: (p) => progress.push(p) });
    expect(await readFile(join(dir, 'model.gguf'))).toEqual(Buffer.from(model));
    expect(existsSync(join(dir, 'model.gguf.part'))).toBe(false);
    expect(progress.at(-1)).toEqual({ received: model.length, total: model.length });
    expect(progress.map((p) => p.received)).toEqual([...progress.map((p) => p.received)].sort((a, b) => a - b));
    expect(server.requests).toEqual([{ range: undefined }]);
  });

  it('asks for nothing when the file is already in place', async () => {
    await downloadFile(spec());
    await downloadFile(spec());
    expect(server.requests).toHaveLength(1);
  });

  it('resumes with a Range request when the connection drops midway, and the result is whole', async () => {
    server.fault({ holdAfter: HALF });
    await downloadFile(spec(), { onProgress: cutAtHalf });
    expect(server.requests).toEqual([{ range: undefined }, { range: `bytes=${HALF}-` }]);
    expect(await readFile(join(dir, 'model.gguf'))).toEqual(Buffer.from(model));
  });

  it('keeps the partial file when it gives up, and a later call continues from it', async () => {
    server.fault({ holdAfter: HALF });
    // The connection drops with the server going down: the retry finds nobody.
    await expectProblem(downloadFile(spec(), { onProgress: ({ received }) => received === HALF && void server.close() }), 'UNREACHABLE');
    expect((await stat(join(dir, 'model.gguf.part'))).size).toBe(HALF);
    expect(existsSync(join(dir, 'model.gguf'))).toBe(false);

    await server.listen();
    await downloadFile(spec());
    expect(server.requests.at(-1)).toEqual({ range: `bytes=${HALF}-` });
    expect(await readFile(join(dir, 'model.gguf'))).toEqual(Buffer.from(model));
  });

  it('treats a stalled connection as dropped and resumes', async () => {
    server.fault({ holdAfter: HALF });
    await downloadFile(spec(), { idleTimeoutMs: 200 });
    expect(server.requests).toEqual([{ range: undefined }, { range: `bytes=${HALF}-` }]);
    expect(await readFile(join(dir, 'model.gguf'))).toEqual(Buffer.from(model));
  });

  it('starts over when the server ignores Range, and still ends with the right file', async () => {
    server.fault({ holdAfter: HALF }).fault({ ignoreRange: true });
    await downloadFile(spec(), { onProgress: cutAtHalf });
    expect(server.requests.map((r) => r.range)).toEqual([undefined, `bytes=${HALF}-`]);
    expect(await readFile(join(dir, 'model.gguf'))).toEqual(Buffer.from(model));
  });

  it('rejects a file whose SHA-256 is wrong, and deletes it', async () => {
    await expectProblem(downloadFile(spec({ sha256: '0'.repeat(64) })), 'CHECKSUM_MISMATCH');
    expect(existsSync(join(dir, 'model.gguf'))).toBe(false);
    expect(existsSync(join(dir, 'model.gguf.part'))).toBe(false);
  });

  it('rejects a partial file that does not belong to the file (checksum over the resumed whole)', async () => {
    const part = Buffer.from(model.subarray(0, HALF));
    part[100] = part[100]! ^ 0xff;
    await writeFile(join(dir, 'model.gguf.part'), part);
    await expectProblem(downloadFile(spec()), 'CHECKSUM_MISMATCH');
    expect(server.requests).toEqual([{ range: `bytes=${HALF}-` }]);
    expect(existsSync(join(dir, 'model.gguf.part'))).toBe(false);
    await downloadFile(spec()); // and the next attempt starts clean
    expect(await readFile(join(dir, 'model.gguf'))).toEqual(Buffer.from(model));
  });

  it('says NOT_FOUND for a 404, HTTP_ERROR for another status, and leaves nothing behind', async () => {
    await expectProblem(downloadFile(spec({ url: server.url.replace('model.gguf', 'other.gguf') })), 'NOT_FOUND');
    server.fault({ status: 503 });
    const error = await failure(downloadFile(spec()));
    expect([error.problem, error.status]).toEqual(['HTTP_ERROR', 503]);
    expect(existsSync(join(dir, 'model.gguf'))).toBe(false);
  });

  it('says UNREACHABLE when no server listens', async () => {
    const url = server.url;
    await server.close();
    const error = await failure(downloadFile(spec({ url })));
    expect(error.problem).toBe('UNREACHABLE');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('refuses a response whose length does not match before reading it', async () => {
    server.fault({ contentLength: model.length - 10 });
    await expectProblem(downloadFile(spec()), 'SIZE_MISMATCH');
    expect(existsSync(join(dir, 'model.gguf'))).toBe(false);
  });

  it('stops when the caller aborts, keeps what arrived, and resumes from it next time', async () => {
    server.fault({ holdAfter: HALF });
    const controller = new AbortController();
    const stopped = downloadFile(spec(), {
      signal: controller.signal,
      onProgress: ({ received }) => received >= HALF && controller.abort(),
    });
    await expectProblem(stopped, 'ABORTED');
    expect((await stat(join(dir, 'model.gguf.part'))).size).toBe(HALF);
    await downloadFile(spec());
    expect(server.requests.at(-1)).toEqual({ range: `bytes=${HALF}-` });
    expect(await readFile(join(dir, 'model.gguf'))).toEqual(Buffer.from(model));
  });
});
