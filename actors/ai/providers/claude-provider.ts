import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import type { ContentBlockParam, MessageParam, RawMessageStreamEvent, Tool } from '@anthropic-ai/sdk/resources/messages';
import { LlmError, type ChatTurn, type CompletionChunk, type CompletionRequest, type LlmProvider, type ModelInfo, type ProviderConfig, type ProviderHealth, type StopReason, type ToolSpec } from '../llm-provider.ts';
import { guardedCall, guardedStream, type GuardedRun } from './guarded-run.ts';
import { httpError, originOf, retryAfterMs, type FailureContext } from './provider-errors.ts';
import { PROBE_TIMEOUT_MS, probeHealth, REMOTE_TIMEOUT_MS } from './provider-health.ts';
import { isRecord, ToolCallAssembler } from './tool-call-assembler.ts';
import type { TransportGuard } from './transport-guard.ts';

/**
 * Claude through `@anthropic-ai/sdk`: SSE `/v1/messages` and `/v1/models` (specs/llm-providers.md
 * §5.3). The stream's events are read one by one — text deltas become text, a tool_use block's
 * input_json_delta pieces are assembled and handed on whole at its content_block_stop — and the
 * answer is complete only at message_stop. System turns go into `system`; tool results into
 * `tool_result` blocks of a user message, next to the tool_use they answer.
 */
export const CLAUDE_DEFAULT_ENDPOINT = 'https://api.anthropic.com';
/** The API requires max_tokens; used when the request does not set one. */
export const CLAUDE_DEFAULT_MAX_TOKENS = 4096;

export class ClaudeProvider implements LlmProvider {
  readonly kind = 'claude' as const;
  readonly id: string;
  readonly #endpoint: string;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;
  readonly #context: FailureContext;

  constructor(config: ProviderConfig) {
    this.id = config.id;
    this.#endpoint = config.endpoint ?? CLAUDE_DEFAULT_ENDPOINT;
    this.#apiKey = config.apiKey || undefined;
    this.#timeoutMs = config.timeoutMs ?? REMOTE_TIMEOUT_MS;
    this.#context = { label: 'Claude', origin: originOf(this.#endpoint), secret: this.#apiKey };
  }

  listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    return guardedCall(this.#run(signal, Math.min(this.#timeoutMs, PROBE_TIMEOUT_MS), false), async (guard) => {
      const models: ModelInfo[] = [];
      for await (const model of this.#client(guard).models.list({ limit: 100 })) {
        if ((model as { lifecycle?: string }).lifecycle === 'retired') continue;
        const contextLength = typeof model.max_input_tokens === 'number' ? model.max_input_tokens : undefined;
        const vision = model.capabilities?.image_input?.supported ?? true;
        models.push({ id: model.id, name: model.display_name || model.id, ...(contextLength ? { contextLength } : {}), capabilities: { tools: true, vision } });
      }
      return models;
    });
  }

  /** One model from the list: proves the endpoint, the key and its permission without spending tokens. */
  health(signal?: AbortSignal): Promise<ProviderHealth> {
    return probeHealth(() => guardedCall(this.#run(signal, Math.min(this.#timeoutMs, PROBE_TIMEOUT_MS), false), (guard) => this.#client(guard).models.list({ limit: 1 })));
  }

  complete(request: CompletionRequest): AsyncIterable<CompletionChunk> {
    return guardedStream(this.#run(request.signal, this.#timeoutMs, true), (guard) => this.#stream(guard, request));
  }

  async *#stream(guard: TransportGuard, request: CompletionRequest): AsyncGenerator<CompletionChunk> {
    const { system, messages } = toClaudeMessages(request.messages);
    const stream = await this.#client(guard).messages.create({
      model: request.model,
      max_tokens: request.maxTokens ?? CLAUDE_DEFAULT_MAX_TOKENS,
      messages,
      ...(system ? { system } : {}),
      ...(request.tools?.length ? { tools: request.tools.map(toClaudeTool) } : {}),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      stream: true,
    });
    const calls = new ToolCallAssembler('Claude');
    let stop: string | null = null;
    let calledTools = false;
    const usage = { inputTokens: 0, outputTokens: 0 };
    for await (const event of stream as AsyncIterable<RawMessageStreamEvent>) {
      switch (event.type) {
        case 'message_start':
          usage.inputTokens = event.message.usage?.input_tokens ?? 0;
          usage.outputTokens = event.message.usage?.output_tokens ?? 0;
          break;
        case 'content_block_start':
          if (event.content_block.type === 'tool_use') calls.add(event.index, { id: event.content_block.id, name: event.content_block.name });
          else if (event.content_block.type === 'text' && event.content_block.text) yield { type: 'text', text: event.content_block.text };
          break;
        case 'content_block_delta':
          if (event.delta.type === 'text_delta') yield { type: 'text', text: event.delta.text };
          else if (event.delta.type === 'input_json_delta') {
            if (!calls.has(event.index)) throw new LlmError('MALFORMED_STREAM', `Claude sent tool input for block ${event.index}, which is not a tool_use block`);
            calls.add(event.index, { arguments: event.delta.partial_json });
          }
          break;
        case 'content_block_stop':
          if (calls.has(event.index)) {
            calledTools = true;
            yield { type: 'toolCall', call: calls.finish(event.index) };
          }
          break;
        case 'message_delta':
          stop = event.delta.stop_reason;
          // Cumulative counts; input_tokens appears here too on newer API versions.
          if (typeof event.usage?.output_tokens === 'number') usage.outputTokens = event.usage.output_tokens;
          if (typeof event.usage?.input_tokens === 'number') usage.inputTokens = event.usage.input_tokens;
          break;
        case 'message_stop':
          if (calls.pending > 0) throw new LlmError('MALFORMED_STREAM', 'Claude ended the message inside a tool_use block');
          yield { type: 'done', stopReason: stopReason(stop, calledTools), usage };
          return;
      }
    }
  }

  #client(guard: TransportGuard): Anthropic {
    // Without a key the SDK would go looking for credentials in the environment and config files.
    if (!this.#apiKey) throw new LlmError('UNAUTHORIZED', 'no API key is configured for Claude');
    return new Anthropic({
      baseURL: this.#endpoint,
      apiKey: this.#apiKey,
      fetch: guard.fetch,
      // Retries hide failures and bill a prompt twice; whether to retry is the user's choice.
      maxRetries: 0,
      // The guard keeps time; the SDK's own timer is only a backstop behind it.
      timeout: guard.timeoutMs * 2,
      logLevel: 'off',
    });
  }

  #run(signal: AbortSignal | undefined, timeoutMs: number, namesModel: boolean): GuardedRun {
    return { timeoutMs, ...(signal ? { signal } : {}), context: this.#context, classify: (error, guard) => this.#classify(error, guard, namesModel) };
  }

  #classify(error: unknown, guard: TransportGuard, namesModel: boolean): LlmError | undefined {
    if (error instanceof APIConnectionTimeoutError) return new LlmError('TIMEOUT', `Claude at ${this.#context.origin} did not answer in time`);
    if (error instanceof APIConnectionError) return new LlmError('UNREACHABLE', `nothing answers at ${this.#context.origin} (Claude)`);
    if (!(error instanceof APIError)) return undefined;
    const body: unknown = error.error;
    const inner = isRecord(body) && isRecord(body.error) ? body.error : undefined;
    const type = error.type ?? (typeof inner?.type === 'string' ? inner.type : undefined);
    const detail = error.apiMessage ?? (typeof inner?.message === 'string' ? inner.message : error.message);
    if (error.status !== undefined) return httpError(this.#context, error.status, detail, error.headers ?? guard.response?.headers, namesModel);
    // An `error` event in the middle of the stream: only its type says what happened.
    switch (type) {
      case 'rate_limit_error':
        return new LlmError('RATE_LIMITED', `Claude: ${detail}`, retryAfterMs(guard.response?.headers));
      case 'authentication_error':
      case 'permission_error':
        return new LlmError('UNAUTHORIZED', `Claude: ${detail}`);
      case 'not_found_error':
        return new LlmError('MODEL_MISSING', `Claude: ${detail}`);
      default:
        return new LlmError('PROVIDER', `Claude reported ${type ?? 'an error'}: ${detail}`);
    }
  }
}

function stopReason(stop: string | null, calledTools: boolean): StopReason {
  if (calledTools || stop === 'tool_use') return 'toolUse';
  if (stop === 'max_tokens' || stop === 'model_context_window_exceeded') return 'maxTokens';
  return 'end';
}

/**
 * System turns join into `system`; the rest become user/assistant messages, consecutive turns of
 * one role merged (tool results of one step must share one user message).
 */
export function toClaudeMessages(turns: readonly ChatTurn[]): { system: string | undefined; messages: MessageParam[] } {
  const system = turns.filter((turn) => turn.role === 'system').map((turn) => turn.content);
  const messages: { role: 'user' | 'assistant'; content: ContentBlockParam[] }[] = [];
  for (const turn of turns) {
    if (turn.role === 'system') continue;
    const role = turn.role === 'assistant' ? 'assistant' : 'user';
    const blocks = blocksOf(turn);
    const last = messages.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  }
  return { system: system.length ? system.join('\n\n') : undefined, messages };
}

function blocksOf(turn: ChatTurn): ContentBlockParam[] {
  if (turn.role === 'tool') return [{ type: 'tool_result', tool_use_id: turn.toolCallId ?? '', content: turn.content, ...(turn.isError ? { is_error: true } : {}) }];
  const blocks: ContentBlockParam[] = turn.content ? [{ type: 'text', text: turn.content }] : [];
  for (const call of turn.toolCalls ?? []) blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: { ...call.arguments } });
  return blocks;
}

function toClaudeTool(tool: ToolSpec): Tool {
  return { name: tool.name, description: tool.description, input_schema: { type: 'object', ...tool.inputSchema } };
}
