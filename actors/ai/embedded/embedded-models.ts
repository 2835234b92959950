/**
 * Where the embedded provider's models come from (specs/llm-embedded.md §2–3): the pinned default,
 * downloaded on first use, and any GGUF file the user picked. The Node implementation is
 * ModelLibrary (model-library.node.ts); the provider sees only this, so its tests can stand in.
 */

export interface EmbeddedModel {
  /** The file name: ModelInfo.id, and what CompletionRequest.model names. */
  readonly id: string;
  /** Absolute path of the checked GGUF file. */
  readonly path: string;
  readonly name: string;
  readonly contextLength: number | undefined;
  readonly origin: 'default' | 'picked';
}

export interface DownloadStatus {
  readonly model: string;
  readonly received: number;
  readonly total: number;
}

export interface EnsureOptions {
  readonly signal?: AbortSignal;
  readonly onDownload?: (status: DownloadStatus) => void;
}

export interface EmbeddedModels {
  readonly defaultModelId: string;
  /** Models on this machine whose files pass the header check. */
  list(): Promise<EmbeddedModel[]>;
  /**
   * The model, checked and ready to load; the default one is downloaded first if it is not here.
   * Throws an EmbeddedModelError (MODEL_MISSING, NOT_DOWNLOADED, PROVIDER) or LlmError CANCELLED.
   */
  ensure(id: string, options?: EnsureOptions): Promise<EmbeddedModel>;
}
