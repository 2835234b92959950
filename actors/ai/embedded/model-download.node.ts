import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';

/**
 * Downloads one large file of known size and SHA-256 (specs/llm-embedded.md §2):
 *
 * - into `<dest>.part`, renamed to `dest` only once all bytes are there and their SHA-256 matches,
 *   so `dest` exists only whole and verified (a rename within a folder is atomic);
 * - resumable: the `.part` file is kept when a download stops for any reason, and the next attempt
 *   asks for the rest with an HTTP Range request (a server that ignores Range sends everything
 *   again, and the part is started over). Within one call a dropped or stalled connection is
 *   resumed a few times before giving up;
 * - checked early: a response whose length does not add up to the expected size is refused before
 *   its body is read, and a body that runs past the size is cut off;
 * - with progress: `received` of `total` bytes, at most every PROGRESS_EVERY_MS and at the end.
 *
 * Failures are DownloadErrors with a `problem`; the `.part` file is removed only when its bytes are
 * known to be wrong (checksum) — anything else keeps it for the next resume.
 */

export type DownloadProblem =
  | 'UNREACHABLE' // no connection to the server (offline, DNS, refused)
  | 'NOT_FOUND' // the server has no such file (404)
  | 'HTTP_ERROR' // any other unexpected status, or a Content-Range that does not continue the part
  | 'INTERRUPTED' // the connection dropped or stalled mid-body, too many times in a row
  | 'SIZE_MISMATCH' // the server offers (or sent) a different number of bytes than expected
  | 'CHECKSUM_MISMATCH' // all bytes arrived but their SHA-256 is not the pinned one; the part was removed
  | 'ABORTED' // the caller's signal aborted; the part is kept
  | 'DISK'; // the file could not be written

export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** On INTERRUPTED: whether the connection delivered any byte before it dropped. */
  readonly progressed: boolean;
  constructor(
    readonly problem: DownloadProblem,
    message: string,
    details: { status?: number; progressed?: boolean } = {},
  ) {
    super(message);
    this.status = details.status;
    this.progressed = details.progressed ?? false;
  }
}

export interface DownloadSpec {
  readonly url: string;
  readonly size: number;
  /** Lowercase hex. */
  readonly sha256: string;
  readonly dest: string;
}

export interface DownloadProgress {
  readonly received: number;
  readonly total: number;
}

export interface DownloadOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Connections tried in a row without receiving any byte before giving up. */
  readonly attempts?: number;
  /** A connection that delivers nothing for this long counts as dropped. */
  readonly idleTimeoutMs?: number;
  readonly fetch?: typeof fetch;
}

const PROGRESS_EVERY_MS = 100;

export async function downloadFile(spec: DownloadSpec, options: DownloadOptions = {}): Promise<void> {
  const existing = await sizeOf(spec.dest);
  if (existing === spec.size) return; // only ever renamed there whole and verified
  if (existing !== undefined) await rm(spec.dest, { force: true }); // not ours, or damaged since: fetch again

  const part = `${spec.dest}.part`;
  let state = await resume(part, spec.size);
  const attempts = options.attempts ?? 4;
  let fruitless = 0;
  while (state.received < spec.size) {
    if (options.signal?.aborted) throw abortedError();
    try {
      state = await fetchRest(spec, part, state, options);
    } catch (error) {
      if (!(error instanceof DownloadError) || error.problem !== 'INTERRUPTED') throw error;
      fruitless = error.progressed ? 0 : fruitless + 1;
      if (fruitless >= attempts) throw error;
      state = await resume(part, spec.size); // what the dropped connection left in the part
    }
  }
  const digest = state.hash.digest('hex');
  if (digest !== spec.sha256.toLowerCase()) {
    await rm(part, { force: true });
    throw new DownloadError('CHECKSUM_MISMATCH', `the downloaded file's SHA-256 is ${digest}, not the expected ${spec.sha256}; it was deleted`);
  }
  try {
    await rename(part, spec.dest);
  } catch (error) {
    throw new DownloadError('DISK', `could not move the finished download into place: ${(error as Error).message}`);
  }
}

interface PartState {
  received: number;
  /** SHA-256 of the part's bytes so far. */
  hash: Hash;
}

/** The part file as it stands: its length and the hash of its bytes (re-read, so a resume needs no saved state). */
async function resume(part: string, size: number): Promise<PartState> {
  const length = await sizeOf(part);
  const hash = createHash('sha256');
  if (length === undefined || length === 0) return { received: 0, hash };
  if (length > size) {
    await rm(part, { force: true });
    return { received: 0, hash };
  }
  for await (const chunk of createReadStream(part)) hash.update(chunk as Buffer);
  return { received: length, hash };
}

/** One connection: asks for the bytes the part lacks and appends what arrives. */
async function fetchRest(spec: DownloadSpec, part: string, state: PartState, options: DownloadOptions): Promise<PartState> {
  const attempt = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, attempt.signal]) : attempt.signal;
  const idleMs = options.idleTimeoutMs ?? 30_000;
  let idle = setTimeout(() => attempt.abort(), idleMs);
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => attempt.abort(), idleMs);
  };
  const aborted = () => options.signal?.aborted === true;
  try {
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(spec.url, { headers: state.received > 0 ? { Range: `bytes=${state.received}-` } : {}, signal, redirect: 'follow' });
    } catch (error) {
      if (aborted()) throw abortedError();
      if (attempt.signal.aborted) throw new DownloadError('INTERRUPTED', `no answer from ${host(spec.url)} within ${idleMs} ms`);
      throw new DownloadError('UNREACHABLE', `cannot reach ${host(spec.url)}: ${causeOf(error)}`);
    }
    let start = state.received;
    if (response.status === 404) throw new DownloadError('NOT_FOUND', `${host(spec.url)} has no such file (404)`, { status: 404 });
    if (response.status === 416) {
      // The server's file is shorter than our part: whatever the part holds is not that file.
      await rm(part, { force: true });
      throw new DownloadError('SIZE_MISMATCH', `${host(spec.url)} refused to resume at byte ${start} (416): its file is not the expected ${spec.size} bytes`, { status: 416 });
    }
    if (response.status === 200) start = 0; // no Range support (or no part): everything, from the start
    else if (response.status === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
      if (!range || Number(range[1]) !== start) throw new DownloadError('HTTP_ERROR', `${host(spec.url)} answered a resume at byte ${start} with range "${response.headers.get('content-range')}"`, { status: 206 });
      if (range[3] !== '*' && Number(range[3]) !== spec.size) throw new DownloadError('SIZE_MISMATCH', `${host(spec.url)} offers ${range[3]} bytes, not the expected ${spec.size}`, { status: 206 });
    } else throw new DownloadError('HTTP_ERROR', `${host(spec.url)} answered ${`${response.status} ${response.statusText}`.trim()}`, { status: response.status });
    const length = response.headers.get('content-length');
    if (length !== null && start + Number(length) !== spec.size) {
      throw new DownloadError('SIZE_MISMATCH', `${host(spec.url)} offers ${start + Number(length)} bytes, not the expected ${spec.size}`, { status: response.status });
    }
    const hash = start === 0 ? createHash('sha256') : state.hash;
    return await appendBody(response, part, { received: start, hash }, spec, options, touch, (progressed) => {
      if (aborted()) return abortedError();
      if (attempt.signal.aborted) return new DownloadError('INTERRUPTED', `the connection to ${host(spec.url)} stalled for ${idleMs} ms`, { progressed });
      return undefined;
    });
  } finally {
    clearTimeout(idle);
    attempt.abort(); // whatever is left of the connection
  }
}

async function appendBody(
  response: Response,
  part: string,
  state: PartState,
  spec: DownloadSpec,
  options: DownloadOptions,
  touch: () => void,
  stopped: (progressed: boolean) => DownloadError | undefined,
): Promise<PartState> {
  let file;
  try {
    file = await open(part, state.received === 0 ? 'w' : 'a');
  } catch (error) {
    throw new DownloadError('DISK', `cannot write ${part}: ${(error as Error).message}`);
  }
  let received = state.received;
  let reported = 0;
  const report = (force: boolean) => {
    const now = performance.now();
    if (!force && now - reported < PROGRESS_EVERY_MS) return;
    reported = now;
    options.onProgress?.({ received, total: spec.size });
  };
  try {
    if (!response.body) throw new DownloadError('HTTP_ERROR', `${host(spec.url)} sent no body`, { status: response.status });
    const dropped = (why: string) => new DownloadError('INTERRUPTED', why, { progressed: received > state.received });
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value: chunk } = await reader.read();
        if (done) break;
        touch();
        if (received + chunk.byteLength > spec.size) throw new DownloadError('SIZE_MISMATCH', `${host(spec.url)} sent more than the expected ${spec.size} bytes`);
        try {
          await file.write(chunk);
        } catch (error) {
          throw new DownloadError('DISK', `cannot write ${part}: ${(error as Error).message}`);
        }
        state.hash.update(chunk);
        received += chunk.byteLength;
        report(false);
      }
    } catch (error) {
      if (error instanceof DownloadError) throw error;
      throw stopped(received > state.received) ?? dropped(`the connection to ${host(spec.url)} dropped at byte ${received} of ${spec.size}: ${causeOf(error)}`);
    }
    if (received < spec.size) throw dropped(`the connection to ${host(spec.url)} ended at byte ${received} of ${spec.size}`);
    await file.sync();
    return { received, hash: state.hash };
  } finally {
    report(true);
    await file.close();
  }
}

const abortedError = () => new DownloadError('ABORTED', 'the download was stopped; what arrived is kept and the next attempt resumes from there');

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** fetch's errors hide the reason (ECONNREFUSED, ENOTFOUND) in `cause`. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}
