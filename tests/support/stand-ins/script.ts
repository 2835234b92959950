/**
 * What a stand-in is told to do (README.md beside this file): the replies it streams, in the
 * provider's own wire format, and the faults it injects. One script type for all three stand-ins,
 * so a test (or the `ai` benchmark) says the same thing to Ollama, LM Studio and Claude.
 */

/** A model the stand-in reports. */
export interface StandInModel {
  readonly id: string;
  /** Claude's display_name; the others show the id. */
  readonly displayName?: string;
  readonly contextLength?: number;
  readonly tools?: boolean;
  readonly vision?: boolean;
  /** An embedding-only model (Ollama's capabilities say so; LM Studio names it text-embedding-…). */
  readonly embedding?: boolean;
}

export interface ScriptedToolCall {
  /** The provider's call id; made up when absent (Ollama sends none). */
  readonly id?: string;
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  /** LM Studio and Claude stream the argument JSON in this many fragments (default 3). */
  readonly pieces?: number;
  /** Send this text as the argument JSON instead (to script broken JSON). */
  readonly rawArguments?: string;
}

/**
 * Something going wrong after the response has started. `afterChunks` counts content chunks
 * (text pieces and tool-call fragments) already sent; the fault happens before the next one, or
 * before the terminal event when that many were sent.
 */
export type StreamFault =
  /** Send nothing more and keep the connection open. */
  | { readonly kind: 'stall'; readonly afterChunks: number }
  /** Bytes that are not the wire format (a line that is not JSON, an SSE event whose data does not parse), then end. */
  | { readonly kind: 'garbage'; readonly afterChunks: number }
  /** Destroy the socket. */
  | { readonly kind: 'cut'; readonly afterChunks: number }
  /** End the response cleanly but without the terminal event. */
  | { readonly kind: 'end'; readonly afterChunks: number }
  /** The provider's own mid-stream error (Ollama `{"error"}` line, OpenAI `data: {"error"}`, Anthropic `event: error`), then end. */
  | { readonly kind: 'error'; readonly afterChunks: number; readonly errorType?: string; readonly message?: string };

export interface ScriptedReply {
  /** Text, one chunk per element. */
  readonly text?: readonly string[];
  readonly toolCalls?: readonly ScriptedToolCall[];
  /** Default: toolUse when there are tool calls, else end. */
  readonly stopReason?: 'end' | 'maxTokens' | 'toolUse';
  /** Default: 12 in, one per content chunk out. */
  readonly usage?: { readonly inputTokens: number; readonly outputTokens: number };
  /** Pause between content chunks; 0 (default) writes them as fast as the socket takes them. */
  readonly chunkDelayMs?: number;
  readonly fault?: StreamFault;
}

/** Something going wrong before the response starts: applies to the next request to any path. */
export type RequestFault =
  /** An HTTP error in the provider's error body shape; `retryAfter` is the Retry-After header's value. */
  | { readonly status: number; readonly message?: string; readonly retryAfter?: string; readonly errorType?: string }
  /** Accept the request and never answer. */
  | { readonly stall: true }
  /** Destroy the socket before any response. */
  | { readonly cut: true };

/** `n` text chunks (for throughput runs): 'tok0 ', 'tok1 ', … */
export function tokens(n: number, word = 'tok'): string[] {
  return Array.from({ length: n }, (_, i) => `${word}${i} `);
}

/** Splits `text` into `pieces` fragments of near-equal length (some may be empty for short text). */
export function fragments(text: string, pieces: number): string[] {
  const count = Math.max(1, pieces);
  const size = Math.ceil(text.length / count);
  return Array.from({ length: count }, (_, i) => text.slice(i * size, (i + 1) * size)).filter((piece, i) => piece !== '' || i === 0);
}
