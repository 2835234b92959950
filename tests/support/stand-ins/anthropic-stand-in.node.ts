import type { ServerResponse } from 'node:http';
import { fragments, type ScriptedReply } from './script.ts';
import { contentChunks, isRecord, StandInServer, type ErrorAnswer, type Frame, type RecordedRequest, type StandInOptions } from './stand-in-server.node.ts';

/**
 * Anthropic's Messages API as its reference documents it: `GET /v1/models` (paged with `limit`,
 * `after_id`, `has_more`, `last_id`) and `POST /v1/messages` with `stream: true` answering
 * `text/event-stream` — `message_start`, `ping`, per content block `content_block_start`,
 * `content_block_delta` (`text_delta`, or `input_json_delta` fragments of a tool_use block's
 * input) and `content_block_stop`, then `message_delta` (stop_reason, cumulative usage) and
 * `message_stop`; an `error` event mid-stream. Errors are `{"type": "error", "error": {type,
 * message}, "request_id"}` with a `request-id` header; 529 is overloaded_error.
 *
 * Every request must carry `anthropic-version` and the key, as `x-api-key` or as
 * `Authorization: Bearer` (the SDK at 1.14 sends the latter). Requests are checked as the API
 * checks them: max_tokens present, messages non-empty, and every tool_result answering a tool_use
 * of the assistant message just before it.
 */
export class AnthropicStandIn extends StandInServer {
  static start(options: StandInOptions = {}): Promise<AnthropicStandIn> {
    return new AnthropicStandIn(options).listen();
  }

  private constructor(options: StandInOptions) {
    super(options, '/v1/messages');
  }

  protected errorAnswer(status: number, message: string | undefined, errorType?: string): ErrorAnswer {
    const [type, text] = errorKind(status);
    const requestId = `req_${Math.random().toString(36).slice(2, 14)}`;
    return { status, body: { type: 'error', error: { type: errorType ?? type, message: message ?? text }, request_id: requestId }, headers: { 'request-id': requestId } };
  }

  protected authorized(request: RecordedRequest): boolean {
    const { headers } = request;
    return headers['x-api-key'] === this.options.apiKey || headers.authorization === `Bearer ${this.options.apiKey}`;
  }

  protected garbageFrame(): string {
    return 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"unterminated\n\n';
  }

  protected errorFrame(errorType: string | undefined, message: string): string {
    return sse('error', { type: 'error', error: { type: errorType ?? 'overloaded_error', message } });
  }

  protected async route(request: RecordedRequest, res: ServerResponse): Promise<void> {
    if (!request.headers['anthropic-version']) return this.sendError(res, 400, 'anthropic-version: header is required');
    const body = isRecord(request.body) ? request.body : {};
    const [path, query = ''] = request.path.split('?');
    if (request.method === 'GET' && path === '/v1/models') return this.#models(res, new URLSearchParams(query));
    if (request.method === 'GET' && path?.startsWith('/v1/models/')) {
      const model = this.model(decodeURIComponent(path.slice('/v1/models/'.length)));
      return model ? this.sendJson(res, 200, modelObject(model)) : this.sendError(res, 404, `model: ${path.slice('/v1/models/'.length)}`);
    }
    if (request.method === 'POST' && path === '/v1/messages') {
      const invalid = invalidRequest(body);
      if (invalid) return this.sendError(res, 400, invalid);
      if (!this.model(body.model)) return this.sendError(res, 404, `model: ${String(body.model)}`);
      const reply = this.nextReply();
      if (body.stream !== true) return this.sendError(res, 400, 'this stand-in only streams');
      return this.stream(res, 'text/event-stream; charset=utf-8', frames(String(body.model), reply), reply.chunkDelayMs, reply.fault);
    }
    return this.sendError(res, 404, 'Not found');
  }

  #models(res: ServerResponse, query: URLSearchParams): void {
    const limit = Math.min(1000, Math.max(1, Number(query.get('limit') ?? 20)));
    const after = query.get('after_id');
    const start = after ? this.models.findIndex((model) => model.id === after) + 1 : 0;
    const page = this.models.slice(start, start + limit);
    this.sendJson(res, 200, { data: page.map(modelObject), has_more: start + limit < this.models.length, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null });
  }
}

function modelObject(model: { id: string; displayName?: string; contextLength?: number; vision?: boolean }): Record<string, unknown> {
  return {
    type: 'model',
    id: model.id,
    display_name: model.displayName ?? model.id,
    created_at: '2025-09-29T00:00:00Z',
    ...(model.contextLength ? { max_input_tokens: model.contextLength, max_tokens: 64_000 } : {}),
  };
}

function frames(model: string, reply: ScriptedReply): Frame[] {
  const usage = reply.usage ?? { inputTokens: 12, outputTokens: contentChunks(reply) };
  const out: Frame[] = [
    {
      kind: 'head',
      data: sse('message_start', {
        type: 'message_start',
        message: { id: `msg_${Math.random().toString(36).slice(2, 14)}`, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.inputTokens, output_tokens: 1 } },
      }),
    },
    { kind: 'head', data: sse('ping', { type: 'ping' }) },
  ];
  let index = 0;
  if (reply.text?.length) {
    out.push({ kind: 'structure', data: sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }) });
    for (const text of reply.text) out.push({ kind: 'content', data: sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } }) });
    out.push({ kind: 'structure', data: sse('content_block_stop', { type: 'content_block_stop', index }) });
    index += 1;
  }
  for (const call of reply.toolCalls ?? []) {
    out.push({ kind: 'structure', data: sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: call.id ?? `toolu_${index}${Math.random().toString(36).slice(2, 10)}`, name: call.name, input: {} } }) });
    for (const piece of fragments(call.rawArguments ?? JSON.stringify(call.arguments), call.pieces ?? 3)) {
      out.push({ kind: 'content', data: sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }) });
    }
    out.push({ kind: 'structure', data: sse('content_block_stop', { type: 'content_block_stop', index }) });
    index += 1;
  }
  const stop = reply.stopReason ?? (reply.toolCalls?.length ? 'toolUse' : 'end');
  out.push({ kind: 'tail', data: sse('message_delta', { type: 'message_delta', delta: { stop_reason: stop === 'toolUse' ? 'tool_use' : stop === 'maxTokens' ? 'max_tokens' : 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.outputTokens } }) });
  out.push({ kind: 'tail', data: sse('message_stop', { type: 'message_stop' }) });
  return out;
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The checks the Messages API makes that a wrong mapping would trip. */
function invalidRequest(body: Record<string, unknown>): string | undefined {
  if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return 'messages: at least one message is required';
  let toolUses = new Set<string>();
  for (const [i, message] of messages.entries()) {
    if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant')) return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    const blocks = Array.isArray(message.content) ? message.content.filter(isRecord) : [];
    if (message.role === 'assistant') {
      toolUses = new Set(blocks.filter((block) => block.type === 'tool_use').map((block) => String(block.id)));
      continue;
    }
    for (const block of blocks) {
      if (block.type === 'tool_result' && !toolUses.has(String(block.tool_use_id))) {
        return `messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
      }
    }
    toolUses = new Set();
  }
  return undefined;
}

function errorKind(status: number): [type: string, message: string] {
  switch (status) {
    case 400:
      return ['invalid_request_error', 'invalid request'];
    case 401:
      return ['authentication_error', 'invalid x-api-key'];
    case 403:
      return ['permission_error', 'Your API key does not have permission to use the specified resource.'];
    case 404:
      return ['not_found_error', 'The requested resource could not be found.'];
    case 413:
      return ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'];
    case 429:
      return ['rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'];
    case 529:
      return ['overloaded_error', 'Overloaded'];
    default:
      return ['api_error', 'Internal server error'];
  }
}
