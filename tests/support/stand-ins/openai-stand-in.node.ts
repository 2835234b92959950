import type { ServerResponse } from 'node:http';
import { fragments, type ScriptedReply } from './script.ts';
import { bearer, contentChunks, isRecord, StandInServer, type ErrorAnswer, type Frame, type RecordedRequest, type StandInOptions } from './stand-in-server.node.ts';

/**
 * An OpenAI-compatible server as LM Studio runs one (OpenAI's API reference for chat completions
 * and models; LM Studio's openai-compat docs): `GET /v1/models` and `POST /v1/chat/completions`
 * with `stream: true` answering `text/event-stream` — `data: {chat.completion.chunk}` events with
 * `delta.content` pieces or `delta.tool_calls` fragments (id, type and name in the first, argument
 * text in the rest, keyed by `index`), a chunk with `finish_reason`, a usage chunk with empty
 * `choices` when `stream_options.include_usage` asks for it, and `data: [DONE]`. Errors are
 * `{"error": {message, type, param, code}}`. The key is `Authorization: Bearer`.
 *
 * On a wrong key it echoes the key it got in the message, as OpenAI does (masked there, whole
 * here): a provider must keep it out of its errors anyway.
 */
export class OpenAiStandIn extends StandInServer {
  static start(options: StandInOptions = {}): Promise<OpenAiStandIn> {
    return new OpenAiStandIn(options).listen();
  }

  #lastKey: string | undefined;

  private constructor(options: StandInOptions) {
    super(options, '/v1/chat/completions');
  }

  protected errorAnswer(status: number, message: string | undefined, errorType?: string): ErrorAnswer {
    const [type, code, text] = errorKind(status, this.#lastKey);
    return { status, body: { error: { message: message ?? text, type: errorType ?? type, param: null, code } } };
  }

  protected authorized(request: RecordedRequest): boolean {
    this.#lastKey = bearer(request.headers);
    return this.#lastKey === this.options.apiKey;
  }

  protected garbageFrame(): string {
    return 'data: {"id":"chatcmpl-x","choices":[{"delta":{"content":"unterminated\n\n';
  }

  protected errorFrame(errorType: string | undefined, message: string): string {
    return `data: ${JSON.stringify({ error: { message, type: errorType ?? 'server_error', param: null, code: null } })}\n\n`;
  }

  protected async route(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const body = isRecord(request.body) ? request.body : {};
    switch (`${request.method} ${request.path}`) {
      case 'GET /v1/models':
        return this.sendJson(res, 200, { object: 'list', data: this.models.map((model) => ({ id: model.embedding ? `text-embedding-${model.id}` : model.id, object: 'model', owned_by: 'organization_owner' })) });
      case 'POST /v1/chat/completions': {
        if (!this.model(body.model)) return this.sendError(res, 404, `The model \`${String(body.model)}\` does not exist or you do not have access to it.`, 'invalid_request_error');
        const invalid = invalidMessages(body.messages);
        if (invalid) return this.sendError(res, 400, invalid, 'invalid_request_error');
        const reply = this.nextReply();
        const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
        return this.stream(res, 'text/event-stream; charset=utf-8', frames(String(body.model), reply, includeUsage), reply.chunkDelayMs, reply.fault);
      }
      default:
        return this.sendJson(res, 404, { error: { message: `Unexpected endpoint or method. (${request.method} ${request.path})`, type: 'invalid_request_error', param: null, code: null } });
    }
  }
}

function frames(model: string, reply: ScriptedReply, includeUsage: boolean): Frame[] {
  const id = `chatcmpl-${Math.random().toString(36).slice(2, 12)}`;
  const created = Math.floor(Date.now() / 1000);
  const event = (choice: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}): string =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: model, choices: choice ? [{ index: 0, logprobs: null, finish_reason: null, ...choice }] : [], ...extra })}\n\n`;
  const out: Frame[] = [{ kind: 'head', data: event({ delta: { role: 'assistant', content: '' } }) }];
  for (const text of reply.text ?? []) out.push({ kind: 'content', data: event({ delta: { content: text } }) });
  (reply.toolCalls ?? []).forEach((call, index) => {
    const json = call.rawArguments ?? JSON.stringify(call.arguments);
    const [first = '', ...rest] = fragments(json, call.pieces ?? 3);
    out.push({ kind: 'content', data: event({ delta: { tool_calls: [{ index, id: call.id ?? `call_${index}${id.slice(-6)}`, type: 'function', function: { name: call.name, arguments: first } }] } }) });
    for (const piece of rest) out.push({ kind: 'content', data: event({ delta: { tool_calls: [{ index, function: { arguments: piece } }] } }) });
  });
  const stop = reply.stopReason ?? (reply.toolCalls?.length ? 'toolUse' : 'end');
  out.push({ kind: 'tail', data: event({ delta: {}, finish_reason: stop === 'toolUse' ? 'tool_calls' : stop === 'maxTokens' ? 'length' : 'stop' }) });
  if (includeUsage) {
    const usage = reply.usage ?? { inputTokens: 12, outputTokens: contentChunks(reply) };
    out.push({ kind: 'tail', data: event(undefined, { usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens } }) });
  }
  out.push({ kind: 'tail', data: 'data: [DONE]\n\n' });
  return out;
}

/** OpenAI refuses a tool message that answers no tool call of the assistant message before it. */
function invalidMessages(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return "'messages' must be a non-empty array";
  let open = new Set<string>();
  for (const [i, message] of messages.entries()) {
    if (!isRecord(message) || typeof message.role !== 'string') return `messages[${i}] has no role`;
    if (message.role === 'assistant') open = new Set(Array.isArray(message.tool_calls) ? message.tool_calls.map((call: unknown) => (isRecord(call) ? String(call.id) : '')) : []);
    else if (message.role === 'tool') {
      if (!open.has(String(message.tool_call_id))) return `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'. (messages[${i}])`;
    } else open = new Set();
  }
  return undefined;
}

function errorKind(status: number, key: string | undefined): [type: string, code: string | null, message: string] {
  if (status === 401) return ['invalid_request_error', 'invalid_api_key', `Incorrect API key provided: ${key ?? '(none)'}.`];
  if (status === 403) return ['invalid_request_error', 'unsupported_country_region_territory', 'Country, region, or territory not supported'];
  if (status === 404) return ['invalid_request_error', 'model_not_found', 'The model does not exist or you do not have access to it.'];
  if (status === 429) return ['requests', 'rate_limit_exceeded', 'Rate limit reached for requests. Please try again later.'];
  if (status >= 500) return ['server_error', null, 'The server had an error while processing your request. Sorry about that!'];
  return ['invalid_request_error', null, `error ${status}`];
}
