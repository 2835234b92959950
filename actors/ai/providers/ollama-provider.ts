import { Ollama, type ChatResponse, type Message, type ShowResponse, type Tool, type ToolCall as OllamaToolCall } from 'ollama/browser';
import { LlmError, type ChatTurn, type CompletionChunk, type CompletionRequest, type LlmProvider, type ModelInfo, type ProviderConfig, type ProviderHealth, type ToolCall, type ToolSpec } from '../llm-provider.ts';
import { guardedCall, guardedStream, type GuardedRun } from './guarded-run.ts';
import { errorText, httpError, originOf, type FailureContext } from './provider-errors.ts';
import { LOCAL_TIMEOUT_MS, PROBE_TIMEOUT_MS, probeHealth } from './provider-health.ts';
import { isRecord, newCallId, parseToolArguments } from './tool-call-assembler.ts';
import type { TransportGuard } from './transport-guard.ts';

/**
 * Ollama through the `ollama` client (its fetch-only entry, so no Node built-ins): NDJSON
 * `/api/chat` with native tool calling, `/api/tags` for the models and `/api/show` for each one's
 * context length and capabilities (specs/llm-providers.md §5.1). Ollama itself takes no key; one
 * configured is sent as `Authorization: Bearer`, for an Ollama behind an authenticating proxy.
 */
export const OLLAMA_DEFAULT_ENDPOINT = 'http://127.0.0.1:11434';

/** What the client throws for a stream without its `done` line (ollama-js src/utils.ts). */
const NO_DONE = 'Did not receive done or success response in stream.';

export class OllamaProvider implements LlmProvider {
  readonly kind = 'ollama' as const;
  readonly id: string;
  readonly #endpoint: string;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;
  readonly #context: FailureContext;

  constructor(config: ProviderConfig) {
    this.id = config.id;
    this.#endpoint = config.endpoint ?? OLLAMA_DEFAULT_ENDPOINT;
    this.#apiKey = config.apiKey || undefined;
    this.#timeoutMs = config.timeoutMs ?? LOCAL_TIMEOUT_MS;
    this.#context = { label: 'Ollama', origin: originOf(this.#endpoint), secret: this.#apiKey };
  }

  listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    return guardedCall(this.#run(signal, Math.min(this.#timeoutMs, PROBE_TIMEOUT_MS), false), async (guard) => {
      const client = this.#client(guard);
      const listed: unknown = await client.list();
      if (!isRecord(listed) || !Array.isArray(listed.models)) throw new LlmError('PROVIDER', `${this.#context.label} at ${this.#context.origin} did not answer /api/tags with a model list`);
      const names = listed.models.map((model: unknown) => (isRecord(model) && typeof model.name === 'string' ? model.name : undefined)).filter((name) => name !== undefined);
      const described = await Promise.all(names.map((name) => this.#describe(client, guard, name)));
      return described.filter((model) => model !== undefined);
    });
  }

  health(signal?: AbortSignal): Promise<ProviderHealth> {
    return probeHealth(() => guardedCall(this.#run(signal, Math.min(this.#timeoutMs, PROBE_TIMEOUT_MS), false), (guard) => this.#client(guard).version()));
  }

  complete(request: CompletionRequest): AsyncIterable<CompletionChunk> {
    return guardedStream({ ...this.#run(request.signal, this.#timeoutMs, true), ndjson: true }, (guard) => this.#stream(guard, request));
  }

  async *#stream(guard: TransportGuard, request: CompletionRequest): AsyncGenerator<CompletionChunk> {
    const stream = await this.#client(guard).chat({
      model: request.model,
      messages: toOllamaMessages(request.messages),
      ...(request.tools?.length ? { tools: request.tools.map(toOllamaTool) } : {}),
      options: { ...(request.maxTokens === undefined ? {} : { num_predict: request.maxTokens }), ...(request.temperature === undefined ? {} : { temperature: request.temperature }) },
      stream: true,
    });
    let calledTools = false;
    for await (const part of stream as AsyncIterable<Partial<ChatResponse>>) {
      if (typeof part.message?.content === 'string' && part.message.content !== '') yield { type: 'text', text: part.message.content };
      for (const call of part.message?.tool_calls ?? []) {
        calledTools = true;
        yield { type: 'toolCall', call: this.#toolCall(call) };
      }
      if (part.done) {
        const usage = typeof part.prompt_eval_count === 'number' && typeof part.eval_count === 'number' ? { inputTokens: part.prompt_eval_count, outputTokens: part.eval_count } : undefined;
        yield { type: 'done', stopReason: calledTools ? 'toolUse' : part.done_reason === 'length' ? 'maxTokens' : 'end', ...(usage ? { usage } : {}) };
        return;
      }
    }
  }

  /** Ollama sends each call whole, its arguments already an object (some models give a JSON string). */
  #toolCall(call: OllamaToolCall & { id?: unknown }): ToolCall {
    const name = call.function?.name;
    if (typeof name !== 'string' || name === '') throw new LlmError('MALFORMED_STREAM', 'Ollama sent a tool call without a name');
    const raw: unknown = call.function.arguments;
    const args = typeof raw === 'string' ? parseToolArguments(raw, 'Ollama', name) : raw ?? {};
    if (!isRecord(args)) throw new LlmError('MALFORMED_STREAM', `Ollama sent arguments for tool ${name} that are not a JSON object`);
    return { id: typeof call.id === 'string' && call.id !== '' ? call.id : newCallId(), name, arguments: args };
  }

  /** A model `/api/show` cannot describe (an older Ollama) is listed without claims rather than dropped. */
  async #describe(client: Ollama, guard: TransportGuard, name: string): Promise<ModelInfo | undefined> {
    let show: Partial<ShowResponse>;
    try {
      show = await client.show({ model: name });
    } catch (error) {
      if (guard.failure) throw error;
      return { id: name, name, capabilities: { tools: false } };
    }
    const capabilities = Array.isArray(show.capabilities) ? show.capabilities : [];
    // An embedding-only model cannot chat.
    if (capabilities.includes('embedding') && !capabilities.includes('completion')) return undefined;
    const contextLength = contextLengthOf(show.model_info);
    return { id: name, name, ...(contextLength ? { contextLength } : {}), capabilities: { tools: capabilities.includes('tools'), vision: capabilities.includes('vision') } };
  }

  #client(guard: TransportGuard): Ollama {
    return new Ollama({ host: this.#endpoint, fetch: guard.fetch, ...(this.#apiKey ? { headers: { Authorization: `Bearer ${this.#apiKey}` } } : {}) });
  }

  #run(signal: AbortSignal | undefined, timeoutMs: number, namesModel: boolean): GuardedRun {
    return { timeoutMs, ...(signal ? { signal } : {}), context: this.#context, classify: (error, guard) => this.#classify(error, guard, namesModel) };
  }

  #classify(error: unknown, guard: TransportGuard, namesModel: boolean): LlmError | undefined {
    const message = errorText(error);
    const status = isRecord(error) && typeof error.status_code === 'number' ? error.status_code : undefined;
    if (/model .*not found/i.test(message)) return new LlmError('MODEL_MISSING', `Ollama: ${message}`);
    if (status !== undefined) return httpError(this.#context, status, message, guard.response?.headers, namesModel);
    if (message === NO_DONE) return new LlmError('MALFORMED_STREAM', 'Ollama ended the answer without its final (done) line');
    // An `{"error": …}` line in the middle of the stream.
    if (error instanceof Error && error.constructor === Error) return new LlmError('PROVIDER', `Ollama reported: ${message}`);
    return undefined;
  }
}

function toOllamaMessages(turns: readonly ChatTurn[]): Message[] {
  const toolNames = new Map<string, string>();
  return turns.map((turn): Message => {
    switch (turn.role) {
      case 'assistant':
        for (const call of turn.toolCalls ?? []) toolNames.set(call.id, call.name);
        return { role: 'assistant', content: turn.content, ...(turn.toolCalls?.length ? { tool_calls: turn.toolCalls.map((call) => ({ function: { name: call.name, arguments: { ...call.arguments } } })) } : {}) };
      case 'tool': {
        // Ollama matches a result to its call by the tool's name.
        const name = turn.toolCallId === undefined ? undefined : toolNames.get(turn.toolCallId);
        return { role: 'tool', content: turn.isError ? `Error: ${turn.content}` : turn.content, ...(name ? { tool_name: name } : {}) };
      }
      default:
        return { role: turn.role, content: turn.content };
    }
  });
}

function toOllamaTool(tool: ToolSpec): Tool {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.inputSchema as Tool['function']['parameters'] } };
}

/** `model_info` names it per architecture: `llama.context_length`, `qwen2.context_length`, … */
function contextLengthOf(info: unknown): number | undefined {
  if (!isRecord(info)) return undefined;
  for (const [key, value] of Object.entries(info)) if (key.endsWith('.context_length') && typeof value === 'number') return value;
  return undefined;
}
