import type { ToolCall, ToolSpec } from './llm-provider.ts';

/**
 * Tools for models without native tool calling (specs/ai.md §6): the tools are described in the
 * system prompt, and the model asks for one with a fenced block
 *
 *     ```tool
 *     {"name": "read_file", "arguments": {"path": "notes.md"}}
 *     ```
 *
 * `PromptToolParser` takes the streamed text and holds such blocks back — the user never sees
 * raw tool JSON flash by (DESIGN.md §10) — handing them over as tool calls instead. A block that
 * is not valid JSON naming a tool is given back as text, so nothing the model said is lost.
 */
const OPEN = '```tool';
const CLOSE = '```';

export function toolPrompt(tools: readonly ToolSpec[]): string {
  const list = tools.map((t) => `- ${t.name}: ${t.description}\n  arguments (JSON Schema): ${JSON.stringify(t.inputSchema)}`).join('\n');
  return [
    'You can use tools. To use one, answer with only this block and nothing after it:',
    '```tool',
    '{"name": "<tool name>", "arguments": { ... }}',
    '```',
    'The result comes back in the next message; then answer the user. The tools:',
    list,
  ].join('\n');
}

/** The block for a call, as the model would have written it (for the conversation history). */
export function toolBlock(call: Pick<ToolCall, 'name' | 'arguments'>): string {
  return `${OPEN}\n${JSON.stringify({ name: call.name, arguments: call.arguments })}\n${CLOSE}`;
}

export class PromptToolParser {
  #pending = '';
  #inBlock = false;
  #calls = 0;

  constructor(
    private readonly known: ReadonlySet<string>,
    private readonly idPrefix = 'prompt-call',
  ) {}

  /** Text to show now, and any tool calls completed by this chunk. */
  push(chunk: string): { text: string; calls: ToolCall[] } {
    this.#pending += chunk;
    let text = '';
    const calls: ToolCall[] = [];
    for (;;) {
      if (!this.#inBlock) {
        const open = this.#pending.indexOf(OPEN);
        if (open >= 0) {
          text += this.#pending.slice(0, open);
          this.#pending = this.#pending.slice(open + OPEN.length);
          this.#inBlock = true;
          continue;
        }
        // Keep back a tail that may be the start of a fence.
        const keep = partialSuffix(this.#pending, OPEN);
        text += this.#pending.slice(0, this.#pending.length - keep);
        this.#pending = this.#pending.slice(this.#pending.length - keep);
        return { text, calls };
      }
      const close = this.#pending.indexOf(CLOSE);
      if (close < 0) return { text, calls };
      const body = this.#pending.slice(0, close);
      this.#pending = this.#pending.slice(close + CLOSE.length);
      this.#inBlock = false;
      const call = this.#parse(body);
      if (call) calls.push(call);
      else text += `${OPEN}${body}${CLOSE}`;
    }
  }

  /** The stream ended: whatever is held back is text (an unclosed block included). */
  end(): { text: string; calls: ToolCall[] } {
    const text = this.#inBlock ? `${OPEN}${this.#pending}` : this.#pending;
    this.#pending = '';
    this.#inBlock = false;
    return { text, calls: [] };
  }

  #parse(body: string): ToolCall | undefined {
    try {
      const value = JSON.parse(body.trim()) as { name?: unknown; arguments?: unknown };
      if (typeof value.name !== 'string' || !this.known.has(value.name)) return undefined;
      const args = value.arguments ?? {};
      if (typeof args !== 'object' || args === null || Array.isArray(args)) return undefined;
      return { id: `${this.idPrefix}-${++this.#calls}`, name: value.name, arguments: args as Record<string, unknown> };
    } catch {
      return undefined;
    }
  }
}

/** The length of the longest end of `text` that is a proper start of `token`. */
function partialSuffix(text: string, token: string): number {
  for (let n = Math.min(token.length - 1, text.length); n > 0; n--) if (token.startsWith(text.slice(-n))) return n;
  return 0;
}
