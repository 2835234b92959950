import { LlmError, type LlmErrorCode } from '../llm-provider.ts';

/**
 * The embedded provider's errors: an LlmError (the code LLMManager and the UI switch on) with the
 * precise reason beside it, and for a file or download problem its own code in `detail` (a
 * GgufProblem or a DownloadProblem). Messages are for people: they say what happened and what to
 * do next (specs/llm-embedded.md §5).
 */
export type EmbeddedFailure =
  | 'UNKNOWN_MODEL' // MODEL_MISSING: no model by that id in the library
  | 'FILE_MISSING' // MODEL_MISSING: a picked file is no longer where it was picked
  | 'BAD_GGUF' // PROVIDER: the file failed the header check (detail: the GgufProblem)
  | 'NAME_TAKEN' // PROVIDER: another file of the same name is already in the library
  | 'DOWNLOAD_FAILED' // NOT_DOWNLOADED: the default model is not here and could not be fetched (detail: the DownloadProblem)
  | 'LOAD_FAILED' // PROVIDER: llama.cpp refused the file
  | 'RUNTIME_CRASHED' // PROVIDER: the model process died (llama.cpp aborted); it restarts on the next request
  | 'RUNTIME_UNAVAILABLE' // PROVIDER: no model process (the pool stopped, or gave up after repeated crashes), or no llama.cpp binary
  | 'BUSY'; // RATE_LIMITED: too many requests already queued

export class EmbeddedModelError extends LlmError {
  constructor(
    code: LlmErrorCode,
    readonly reason: EmbeddedFailure,
    message: string,
    readonly detail?: string,
  ) {
    super(code, message);
  }
}

export function isEmbeddedError(error: unknown, reason?: EmbeddedFailure): error is EmbeddedModelError {
  return error instanceof EmbeddedModelError && (reason === undefined || error.reason === reason);
}
