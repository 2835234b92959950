import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { LlmError } from '../llm-provider.ts';
import { DEFAULT_EMBEDDED_MODEL, megabytes, type PinnedModel } from './default-model.ts';
import { EmbeddedModelError } from './embedded-error.ts';
import type { DownloadStatus, EmbeddedModel, EmbeddedModels, EnsureOptions } from './embedded-models.ts';
import { inspectGgufModel, type GgufModelFacts } from './gguf/gguf-file.node.ts';
import { GgufError } from './gguf/gguf-reader.ts';
import { DownloadError, downloadFile, type DownloadProblem } from './model-download.node.ts';

/**
 * The embedded models on this machine (specs/llm-embedded.md §2–3), in `<data>/models/`:
 *
 * - the pinned default, `<data>/models/<file name>`, downloaded on first use (`ensure`) with
 *   progress, resumable from `<file name>.part`, checksum-verified;
 * - GGUF files the user picked anywhere on disk, remembered by path in `picked.json` (not copied:
 *   models are large). A file that moved or vanished is left out of the list but not forgotten.
 *
 * Every file passes the GGUF header check before the runtime sees it; the result is kept per
 * (path, size, mtime), so the check costs once per file version. One download at a time: callers
 * that need the default model while it downloads share that download, and it stops (keeping its
 * partial file) only when every one of them has given up.
 */

export interface ModelLibraryOptions {
  /** The app's data folder; models live in its `models/` folder. */
  readonly dataDir: string;
  readonly pinned?: PinnedModel;
  readonly fetch?: typeof fetch;
  /** Passed to the downloader (tests shorten it). */
  readonly idleTimeoutMs?: number;
}

interface Checked {
  size: number;
  mtimeMs: number;
  facts: GgufModelFacts;
}

interface SharedDownload {
  promise: Promise<void>;
  controller: AbortController;
  waiters: number;
  listeners: Set<(status: DownloadStatus) => void>;
}

export class ModelLibrary implements EmbeddedModels {
  readonly dir: string;
  readonly pinned: PinnedModel;
  readonly #options: ModelLibraryOptions;
  readonly #checked = new Map<string, Checked>();
  #download: SharedDownload | undefined;

  constructor(options: ModelLibraryOptions) {
    this.#options = options;
    this.dir = join(options.dataDir, 'models');
    this.pinned = options.pinned ?? DEFAULT_EMBEDDED_MODEL;
  }

  get defaultModelId(): string {
    return this.pinned.id;
  }

  get defaultPath(): string {
    return join(this.dir, this.pinned.id);
  }

  async list(): Promise<EmbeddedModel[]> {
    const models: EmbeddedModel[] = [];
    const candidates: Array<[string, EmbeddedModel['origin']]> = [[this.defaultPath, 'default'], ...(await this.#picked()).map((path) => [path, 'picked'] as [string, 'picked'])];
    for (const [path, origin] of candidates) {
      try {
        models.push(await this.#model(path, origin));
      } catch {
        // Absent (not downloaded, moved, unplugged) or damaged: not listed; ensure() says why.
      }
    }
    return models;
  }

  async ensure(id: string, options: EnsureOptions = {}): Promise<EmbeddedModel> {
    if (id === this.pinned.id) {
      if (!(await exists(this.defaultPath))) await this.#join(options);
      return this.#model(this.defaultPath, 'default');
    }
    const path = (await this.#picked()).find((p) => basename(p) === id);
    if (!path) throw new EmbeddedModelError('MODEL_MISSING', 'UNKNOWN_MODEL', `there is no embedded model "${id}": download the default one or pick a GGUF file`);
    return this.#model(path, 'picked');
  }

  /** Adds a GGUF file the user chose, after checking it. Its file name becomes its id. */
  async pick(path: string): Promise<EmbeddedModel> {
    const absolute = resolve(path);
    const model = await this.#model(absolute, 'picked');
    const picked = await this.#picked();
    if (picked.includes(absolute)) return model;
    const clash = [this.defaultPath, ...picked].find((p) => basename(p) === model.id);
    if (clash) throw new EmbeddedModelError('PROVIDER', 'NAME_TAKEN', `a model named "${model.id}" is already in the list (${clash}); rename the file or remove that one first`);
    await this.#savePicked([...picked, absolute]);
    return model;
  }

  /** Removes a picked model from the list (its file stays where it is), or deletes the downloaded default. */
  async forget(id: string): Promise<void> {
    if (id === this.pinned.id) {
      await rm(this.defaultPath, { force: true });
      return;
    }
    const picked = await this.#picked();
    await this.#savePicked(picked.filter((p) => basename(p) !== id));
  }

  /** Downloads the default model now (a no-op when it is here). */
  async download(options: EnsureOptions = {}): Promise<EmbeddedModel> {
    return this.ensure(this.pinned.id, options);
  }

  async #model(path: string, origin: EmbeddedModel['origin']): Promise<EmbeddedModel> {
    const facts = await this.#check(path);
    return { id: basename(path), path, name: facts.name ?? basename(path).replace(/\.gguf$/i, ''), contextLength: facts.contextLength, origin };
  }

  async #check(path: string): Promise<GgufModelFacts> {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new EmbeddedModelError('MODEL_MISSING', 'FILE_MISSING', `the model file ${path} is not there any more; pick it again where it is now`);
    }
    const known = this.#checked.get(path);
    if (known && known.size === info.size && known.mtimeMs === info.mtimeMs) return known.facts;
    try {
      const facts = await inspectGgufModel(path);
      this.#checked.set(path, { size: info.size, mtimeMs: info.mtimeMs, facts });
      return facts;
    } catch (error) {
      if (error instanceof GgufError) throw new EmbeddedModelError('PROVIDER', 'BAD_GGUF', `${basename(path)} is not a usable model: ${error.message}`, error.problem);
      throw new EmbeddedModelError('MODEL_MISSING', 'FILE_MISSING', `the model file ${path} cannot be read: ${(error as Error).message}`);
    }
  }

  /** Waits for the shared download of the default model, starting it if none runs. */
  async #join(options: EnsureOptions): Promise<void> {
    // A download everyone gave up on is still winding down: let it let go of the .part file first.
    if (this.#download?.controller.signal.aborted) await this.#download.promise.catch(() => {});
    const download = (this.#download ??= this.#startDownload());
    download.waiters++;
    if (options.onDownload) download.listeners.add(options.onDownload);
    const leave = () => {
      download.waiters--;
      if (options.onDownload) download.listeners.delete(options.onDownload);
      if (download.waiters === 0) download.controller.abort(); // nobody wants it any more; the .part stays
    };
    try {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(new LlmError('CANCELLED', 'the download of the embedded model was stopped; it resumes next time'));
        if (options.signal?.aborted) return onAbort();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        download.promise.then(resolve, reject).finally(() => options.signal?.removeEventListener('abort', onAbort));
      });
    } finally {
      leave();
    }
  }

  #startDownload(): SharedDownload {
    const controller = new AbortController();
    const listeners = new Set<(status: DownloadStatus) => void>();
    const pinned = this.pinned;
    const promise = (async () => {
      await mkdir(this.dir, { recursive: true });
      try {
        await downloadFile(
          { url: pinned.url, size: pinned.size, sha256: pinned.sha256, dest: this.defaultPath },
          {
            signal: controller.signal,
            fetch: this.#options.fetch,
            idleTimeoutMs: this.#options.idleTimeoutMs,
            onProgress: ({ received, total }) => listeners.forEach((listener) => listener({ model: pinned.id, received, total })),
          },
        );
      } catch (error) {
        if (error instanceof DownloadError && error.problem === 'ABORTED') throw new LlmError('CANCELLED', error.message);
        if (error instanceof DownloadError) throw new EmbeddedModelError('NOT_DOWNLOADED', 'DOWNLOAD_FAILED', notDownloaded(pinned, error), error.problem);
        throw error;
      }
    })();
    const shared: SharedDownload = { promise, controller, waiters: 0, listeners };
    // Whatever the outcome, the next caller starts afresh (and resumes from the .part file).
    void promise.then(
      () => this.#clearDownload(shared),
      () => this.#clearDownload(shared),
    );
    return shared;
  }

  #clearDownload(download: SharedDownload): void {
    if (this.#download === download) this.#download = undefined;
  }

  async #picked(): Promise<string[]> {
    try {
      const stored = JSON.parse(await readFile(join(this.dir, 'picked.json'), 'utf8')) as { files?: unknown };
      return Array.isArray(stored.files) ? stored.files.filter((f): f is string => typeof f === 'string') : [];
    } catch {
      return []; // none picked yet (a damaged list is as good as none: the files themselves are untouched)
    }
  }

  async #savePicked(files: string[]): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, 'picked.json');
    await writeFile(`${path}.tmp`, `${JSON.stringify({ files }, null, 2)}\n`);
    await rename(`${path}.tmp`, path); // atomic: a crash leaves the old list or the new one
  }
}

/** What to tell a person whose default model could not be fetched. */
function notDownloaded(pinned: PinnedModel, error: DownloadError): string {
  const what = `The embedded model (${pinned.name}, ${megabytes(pinned.size)}) is not on this computer yet`;
  const why: Record<DownloadProblem, string> = {
    UNREACHABLE: `and the download server cannot be reached (${error.message}). Connect to the internet once to download it, or pick a GGUF model file you already have.`,
    INTERRUPTED: `and its download kept breaking off (${error.message}). What arrived is kept; the next try continues from there.`,
    NOT_FOUND: `and the download server no longer has it (${error.message}). Pick a GGUF model file you have instead.`,
    HTTP_ERROR: `and the download server refused it (${error.message}). Try again later, or pick a GGUF model file you have.`,
    SIZE_MISMATCH: `and the server offers a different file than the one LAMA trusts (${error.message}), so it was not used.`,
    CHECKSUM_MISMATCH: `and the downloaded file did not match its pinned checksum, so it was deleted (${error.message}). Try again.`,
    DISK: `and it could not be saved (${error.message}). Check the free space in the data folder.`,
    ABORTED: 'and its download was stopped.',
  };
  return `${what}, ${why[error.problem]}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
