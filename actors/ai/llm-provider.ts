/**
 * The one interface every LLM provider speaks (specs/ai.md): Ollama, LM Studio, Claude and the
 * embedded local model all turn a conversation into a stream of chunks. LLMManager and the AI
 * listener see only this, so a provider can be swapped, added or faked at its process boundary.
 */

/** One turn of the conversation a model is asked to continue. */
export interface ChatTurn {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  readonly content: string;
  /** On an assistant turn: the tools it asked for. */
  readonly toolCalls?: readonly ToolCall[];
  /** On a tool turn: which call this is the result of. */
  readonly toolCallId?: string;
  /** On a tool turn: whether the tool failed (its content is then the error). */
  readonly isError?: boolean;
}

/** A tool offered to the model, described by a JSON Schema of its arguments. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

/** A tool call the model made, parsed while streaming — never shown to the user as raw JSON. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

export interface CompletionRequest {
  readonly model: string;
  readonly messages: readonly ChatTurn[];
  readonly tools?: readonly ToolSpec[];
  readonly maxTokens?: number;
  readonly temperature?: number;
  /** Aborting ends the stream with `done: cancelled` (or throws LlmError CANCELLED before any chunk). */
  readonly signal?: AbortSignal;
}

export type StopReason = 'end' | 'maxTokens' | 'toolUse' | 'cancelled';

export type CompletionChunk =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'toolCall'; readonly call: ToolCall }
  | { readonly type: 'done'; readonly stopReason: StopReason; readonly usage?: { readonly inputTokens: number; readonly outputTokens: number } };

export interface ModelInfo {
  /** The provider's own id for the model (`llama3.2:1b`, `claude-sonnet-4-5`, a GGUF file name). */
  readonly id: string;
  readonly name: string;
  readonly contextLength?: number;
  readonly capabilities: { readonly tools: boolean; readonly vision?: boolean };
}

export type ProviderKind = 'ollama' | 'lmstudio' | 'claude' | 'embedded';

export type ProviderHealth =
  | { readonly status: 'ok'; readonly latencyMs: number }
  | { readonly status: 'unreachable' | 'unauthorized' | 'error'; readonly message: string };

/** What a provider is configured with. `apiKey` is a secret: never logged, never in an error message. */
export interface ProviderConfig {
  readonly id: string;
  readonly kind: ProviderKind;
  readonly endpoint?: string;
  readonly apiKey?: string;
  readonly timeoutMs?: number;
}

export interface LlmProvider {
  readonly id: string;
  readonly kind: ProviderKind;
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  health(signal?: AbortSignal): Promise<ProviderHealth>;
  /**
   * Streams the answer. Ends with exactly one `done` chunk, or throws an LlmError — possibly after
   * some text, which the caller keeps and marks incomplete.
   */
  complete(request: CompletionRequest): AsyncIterable<CompletionChunk>;
  close?(): Promise<void>;
}

export type LlmErrorCode =
  | 'UNREACHABLE' // nothing answers at the endpoint
  | 'UNAUTHORIZED' // a missing or wrong key
  | 'RATE_LIMITED' // the provider asks us to slow down (retryAfterMs when it says how long)
  | 'MODEL_MISSING' // the model is not installed / not known to the provider
  | 'TIMEOUT' // no answer, or no next chunk, within the timeout
  | 'MALFORMED_STREAM' // the provider sent something that does not parse
  | 'CANCELLED' // the user stopped it
  | 'NOT_DOWNLOADED' // the embedded model's weights are not on this machine yet
  | 'PROVIDER'; // any other provider-side failure

export class LlmError extends Error {
  override readonly name = 'LlmError';
  constructor(
    readonly code: LlmErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export function isLlmError(error: unknown, code?: LlmErrorCode): error is LlmError {
  return error instanceof LlmError && (code === undefined || error.code === code);
}
