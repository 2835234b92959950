import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { LlmError, type ChatTurn, type CompletionChunk, type CompletionRequest, type LlmProvider, type ModelInfo, type ProviderConfig, type ProviderHealth, type StopReason, type ToolSpec } from '../llm-provider.ts';
import { guardedCall, guardedStream, type GuardedRun } from './guarded-run.ts';
import { httpError, originOf, type FailureContext } from './provider-errors.ts';
import { LOCAL_TIMEOUT_MS, PROBE_TIMEOUT_MS, probeHealth } from './provider-health.ts';
import { isRecord, ToolCallAssembler } from './tool-call-assembler.ts';
import type { TransportGuard } from './transport-guard.ts';

/**
 * LM Studio through its OpenAI-compatible API with the `openai` SDK: `/v1/models` and SSE
 * `/v1/chat/completions` (specs/llm-providers.md §5.2). Tool calls arrive as `delta.tool_calls`
 * fragments keyed by index; they are assembled and parsed here and handed on whole when the
 * choice finishes. LM Studio needs no key unless its server has authentication turned on; the
 * SDK insists on one, so LM Studio's documented placeholder stands in.
 */
export const LMSTUDIO_DEFAULT_ENDPOINT = 'http://127.0.0.1:1234/v1';
const PLACEHOLDER_KEY = 'lm-studio';

export class LmStudioProvider implements LlmProvider {
  readonly kind = 'lmstudio' as const;
  readonly id: string;
  readonly #baseURL: string;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;
  readonly #context: FailureContext;

  constructor(config: ProviderConfig) {
    this.id = config.id;
    this.#baseURL = withV1(config.endpoint ?? LMSTUDIO_DEFAULT_ENDPOINT);
    this.#apiKey = config.apiKey || undefined;
    this.#timeoutMs = config.timeoutMs ?? LOCAL_TIMEOUT_MS;
    this.#context = { label: 'LM Studio', origin: originOf(this.#baseURL), secret: this.#apiKey };
  }

  listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    return guardedCall(this.#run(signal, Math.min(this.#timeoutMs, PROBE_TIMEOUT_MS), false), async (guard) => {
      const models: ModelInfo[] = [];
      for await (const model of this.#client(guard).models.list()) {
        // /v1/models lists embedding models too, and says nothing else about them; LM Studio names them so.
        if (typeof model.id !== 'string' || model.id.startsWith('text-embedding-')) continue;
        // Every model can call tools through LM Studio: natively, or in its default tool format.
        models.push({ id: model.id, name: model.id, capabilities: { tools: true } });
      }
      return models;
    });
  }

  health(signal?: AbortSignal): Promise<ProviderHealth> {
    return probeHealth(() => guardedCall(this.#run(signal, Math.min(this.#timeoutMs, PROBE_TIMEOUT_MS), false), (guard) => this.#client(guard).models.list()));
  }

  complete(request: CompletionRequest): AsyncIterable<CompletionChunk> {
    return guardedStream(this.#run(request.signal, this.#timeoutMs, true), (guard) => this.#stream(guard, request));
  }

  async *#stream(guard: TransportGuard, request: CompletionRequest): AsyncGenerator<CompletionChunk> {
    const stream = await this.#client(guard).chat.completions.create({
      model: request.model,
      messages: request.messages.map(toOpenAiMessage),
      ...(request.tools?.length ? { tools: request.tools.map(toOpenAiTool) } : {}),
      ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      stream: true,
      stream_options: { include_usage: true },
    });
    const calls = new ToolCallAssembler('LM Studio');
    let finish: ChatCompletionChunk.Choice['finish_reason'] = null;
    let calledTools = false;
    let usage: { inputTokens: number; outputTokens: number } | undefined;
    // With include_usage the usage comes in a last chunk after the finishing one, so `done` waits for the end.
    for await (const chunk of stream) {
      if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      if (choice.delta?.content) yield { type: 'text', text: choice.delta.content };
      for (const piece of choice.delta?.tool_calls ?? []) calls.add(piece.index, { id: piece.id, name: piece.function?.name, arguments: piece.function?.arguments });
      if (choice.finish_reason) {
        finish = choice.finish_reason;
        for (const call of calls.finishAll()) {
          calledTools = true;
          yield { type: 'toolCall', call };
        }
      }
    }
    // No finishing chunk: the stream stopped early (or was cut, or timed out); the guard tells which.
    if (finish === null) return;
    yield { type: 'done', stopReason: stopReason(finish, calledTools), ...(usage ? { usage } : {}) };
  }

  #client(guard: TransportGuard): OpenAI {
    return new OpenAI({
      baseURL: this.#baseURL,
      apiKey: this.#apiKey ?? PLACEHOLDER_KEY,
      // Nothing from OPENAI_* environment variables: this client talks to LM Studio only.
      adminAPIKey: null,
      organization: null,
      project: null,
      fetch: guard.fetch,
      // Retries hide failures and resend whole prompts; whether to retry is the user's choice.
      maxRetries: 0,
      // The guard keeps time; the SDK's own timer is only a backstop behind it.
      timeout: guard.timeoutMs * 2,
      // The SDK logs unparsable data and, at debug level, requests; errors are reported as LlmErrors instead.
      logLevel: 'off',
    });
  }

  #run(signal: AbortSignal | undefined, timeoutMs: number, namesModel: boolean): GuardedRun {
    return { timeoutMs, ...(signal ? { signal } : {}), context: this.#context, classify: (error, guard) => this.#classify(error, guard, namesModel) };
  }

  #classify(error: unknown, guard: TransportGuard, namesModel: boolean): LlmError | undefined {
    if (error instanceof APIConnectionTimeoutError) return new LlmError('TIMEOUT', `LM Studio at ${this.#context.origin} did not answer in time`);
    if (error instanceof APIConnectionError) return new LlmError('UNREACHABLE', `nothing answers at ${this.#context.origin} (LM Studio)`);
    if (!(error instanceof APIError)) return undefined;
    const detail = isRecord(error.error) && typeof error.error.message === 'string' ? error.error.message : error.message;
    if (namesModel && (error.code === 'model_not_found' || /model.*(not found|does not exist|not loaded)/i.test(detail))) return new LlmError('MODEL_MISSING', `LM Studio: ${detail}`);
    // An error in the middle of the stream (`data: {"error": …}`) has no status.
    if (error.status === undefined) return new LlmError('PROVIDER', `LM Studio reported: ${detail}`);
    return httpError(this.#context, error.status, detail, error.headers ?? guard.response?.headers, namesModel);
  }
}

function stopReason(finish: NonNullable<ChatCompletionChunk.Choice['finish_reason']>, calledTools: boolean): StopReason {
  if (calledTools || finish === 'tool_calls' || finish === 'function_call') return 'toolUse';
  return finish === 'length' ? 'maxTokens' : 'end';
}

function toOpenAiMessage(turn: ChatTurn): ChatCompletionMessageParam {
  switch (turn.role) {
    case 'system':
      return { role: 'system', content: turn.content };
    case 'user':
      return { role: 'user', content: turn.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: turn.content,
        ...(turn.toolCalls?.length ? { tool_calls: turn.toolCalls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: JSON.stringify(call.arguments) } })) } : {}),
      };
    case 'tool':
      // The API has no error flag on a tool result; the model reads that it failed.
      return { role: 'tool', tool_call_id: turn.toolCallId ?? '', content: turn.isError ? `Error: ${turn.content}` : turn.content };
  }
}

function toOpenAiTool(tool: ToolSpec): ChatCompletionTool {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: { ...tool.inputSchema } } };
}

/** The SDK's base URL ends in /v1; users paste LM Studio's address with or without it. */
function withV1(endpoint: string): string {
  const trimmed = endpoint.replace(/\/+$/, '');
  return trimmed.endsWith('/v1') ? trimmed : `${trimmed}/v1`;
}
