import type { ServerResponse } from 'node:http';
import type { ScriptedReply } from './script.ts';
import { bearer, contentChunks, isRecord, StandInServer, type ErrorAnswer, type Frame, type RecordedRequest, type StandInOptions } from './stand-in-server.node.ts';

/**
 * Ollama's HTTP API as documented in ollama/docs/api.md: `GET /api/version`, `GET /api/tags`,
 * `POST /api/show`, and `POST /api/chat` streaming NDJSON (`application/x-ndjson`): one JSON
 * object per line with `message.content` pieces, whole `message.tool_calls`, and a last line with
 * `done: true`, `done_reason` and the token counts. Errors are `{"error": "…"}` with the status;
 * an unknown model is a 404. Ollama has no keys: with `apiKey` set this plays an Ollama behind a
 * proxy that wants `Authorization: Bearer`.
 */
export class OllamaStandIn extends StandInServer {
  static start(options: StandInOptions = {}): Promise<OllamaStandIn> {
    return new OllamaStandIn(options).listen();
  }

  private constructor(options: StandInOptions) {
    super(options, '/api/chat');
  }

  protected errorAnswer(status: number, message: string | undefined): ErrorAnswer {
    return { status, body: { error: message ?? defaultMessage(status) } };
  }

  protected authorized(request: RecordedRequest): boolean {
    return bearer(request.headers) === this.options.apiKey;
  }

  protected garbageFrame(): string {
    return '<html>502 Bad Gateway</html>\n';
  }

  protected errorFrame(_type: string | undefined, message: string): string {
    return `${JSON.stringify({ error: message })}\n`;
  }

  protected async route(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const body = isRecord(request.body) ? request.body : {};
    switch (`${request.method} ${request.path}`) {
      case 'GET /api/version':
        return this.sendJson(res, 200, { version: '0.12.6' });
      case 'GET /api/tags':
        return this.sendJson(res, 200, {
          models: this.models.map((model) => ({
            name: model.id,
            model: model.id,
            modified_at: '2025-06-01T10:00:00.000000+02:00',
            size: 1_321_098_329,
            digest: 'baf6a787fdffd633537aa2eb51cfd54cb93ff08e28040095462bb63daf552878',
            details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '1.2B', quantization_level: 'Q8_0' },
          })),
        });
      case 'POST /api/show': {
        const model = this.model(body.model);
        if (!model) return this.sendError(res, 404, `model '${String(body.model)}' not found`);
        const capabilities = model.embedding ? ['embedding'] : ['completion', ...(model.tools ? ['tools'] : []), ...(model.vision ? ['vision'] : [])];
        return this.sendJson(res, 200, {
          license: '',
          modelfile: `FROM ${model.id}`,
          parameters: '',
          template: '{{ .Prompt }}',
          details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '1.2B', quantization_level: 'Q8_0' },
          model_info: { 'general.architecture': 'llama', ...(model.contextLength ? { 'llama.context_length': model.contextLength } : {}) },
          capabilities,
          modified_at: '2025-06-01T10:00:00.000000+02:00',
        });
      }
      case 'POST /api/chat': {
        if (!this.model(body.model)) return this.sendError(res, 404, `model "${String(body.model)}" not found, try pulling it first`);
        const reply = this.nextReply();
        if (body.stream === false) return this.sendError(res, 400, 'this stand-in only streams');
        return this.stream(res, 'application/x-ndjson', this.#frames(String(body.model), reply), reply.chunkDelayMs, reply.fault);
      }
      default:
        return this.sendError(res, 404, '404 page not found');
    }
  }

  #frames(model: string, reply: ScriptedReply): Frame[] {
    const line = (message: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
      `${JSON.stringify({ model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '', ...message }, done: false, ...extra })}\n`;
    const frames: Frame[] = (reply.text ?? []).map((text) => ({ kind: 'content', data: line({ content: text }) }));
    for (const call of reply.toolCalls ?? []) {
      const args = call.rawArguments ?? call.arguments;
      frames.push({ kind: 'content', data: line({ tool_calls: [{ function: { name: call.name, arguments: args } }] }) });
    }
    const usage = reply.usage ?? { inputTokens: 12, outputTokens: contentChunks(reply) };
    const doneReason = reply.stopReason === 'maxTokens' ? 'length' : 'stop';
    frames.push({
      kind: 'tail',
      data: line(
        {},
        { done: true, done_reason: doneReason, total_duration: 5_043_500_667, load_duration: 5_025_959, prompt_eval_count: usage.inputTokens, prompt_eval_duration: 325_953_000, eval_count: usage.outputTokens, eval_duration: 4_709_213_000 },
      ),
    });
    return frames;
  }
}

function defaultMessage(status: number): string {
  if (status === 401) return 'unauthorized';
  if (status === 429) return 'too many requests';
  if (status >= 500) return 'llama runner process has terminated: exit status 2';
  return `error ${status}`;
}
