import { LlmError, type ToolCall } from '../llm-provider.ts';

/**
 * Tool calls that arrive in pieces (OpenAI-compatible `delta.tool_calls`, Anthropic
 * `input_json_delta`), put together while streaming and handed on only once whole and parsed —
 * the original app streamed the raw argument JSON into the chat (DESIGN.md §10). Pieces are keyed
 * by the index the provider gives them; arguments that do not parse as a JSON object are a
 * MALFORMED_STREAM, not a call with made-up arguments.
 */
interface Partial {
  id: string | undefined;
  name: string | undefined;
  json: string;
}

export interface ToolCallPiece {
  readonly id?: string | null;
  readonly name?: string | null;
  readonly arguments?: string | null;
}

export class ToolCallAssembler {
  readonly #calls = new Map<number, Partial>();

  constructor(private readonly label: string) {}

  get pending(): number {
    return this.#calls.size;
  }

  add(index: number, piece: ToolCallPiece): void {
    const call = this.#calls.get(index) ?? { id: undefined, name: undefined, json: '' };
    // The id and the name come whole in the first piece; later pieces carry only argument text.
    call.id ||= piece.id ?? undefined;
    call.name ||= piece.name ?? undefined;
    call.json += piece.arguments ?? '';
    this.#calls.set(index, call);
  }

  has(index: number): boolean {
    return this.#calls.has(index);
  }

  /** The finished call at `index`, parsed. */
  finish(index: number): ToolCall {
    const call = this.#calls.get(index);
    if (!call) throw new LlmError('MALFORMED_STREAM', `${this.label} ended tool call ${index}, which it never began`);
    this.#calls.delete(index);
    if (!call.name) throw new LlmError('MALFORMED_STREAM', `${this.label} sent tool call ${index} without a name`);
    return { id: call.id ?? newCallId(), name: call.name, arguments: parseToolArguments(call.json, this.label, call.name) };
  }

  /** Every call still open, in index order (the stream's end closes them all). */
  finishAll(): ToolCall[] {
    return [...this.#calls.keys()].sort((a, b) => a - b).map((index) => this.finish(index));
  }
}

/** Arguments as a JSON object; empty text is no arguments. */
export function parseToolArguments(json: string, label: string, tool: string): Record<string, unknown> {
  if (json.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new LlmError('MALFORMED_STREAM', `${label} sent arguments for tool ${tool} that are not JSON`);
  }
  if (!isRecord(value)) throw new LlmError('MALFORMED_STREAM', `${label} sent arguments for tool ${tool} that are not a JSON object`);
  return value;
}

/** For providers that do not name their calls (Ollama): unique, so a tool result finds its call. */
export function newCallId(): string {
  return `call_${globalThis.crypto.randomUUID().replaceAll('-', '').slice(0, 24)}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
