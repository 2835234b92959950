import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestFault, ScriptedReply, StandInModel, StreamFault } from './script.ts';

/**
 * The part every stand-in shares (README.md): an HTTP server on 127.0.0.1, a record of every
 * request, a queue of scripted replies for the chat endpoint, a queue of request faults for any
 * endpoint, and a frame writer that streams a reply and injects its fault. Subclasses speak one
 * provider's wire format: paths, headers, bodies, event names, error shapes.
 */
export interface StandInOptions {
  /** When set, requests must carry it the way the provider expects, or get a 401. */
  readonly apiKey?: string;
  readonly models?: readonly StandInModel[];
  /** Listen on this port (to bring a stand-in back where the last one was); default: a free one. */
  readonly port?: number;
}

export interface RecordedRequest {
  readonly method: string;
  /** Path with its query string. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when there was none. */
  readonly body: unknown;
}

/** An error answer in the provider's shape. */
export interface ErrorAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * One wire frame of a streamed reply. `head` frames precede the content, `content` frames carry a
 * text piece or tool-call fragment (they are what StreamFault.afterChunks counts), `structure`
 * frames open or close blocks between them, `tail` frames end the answer (the terminal event).
 */
export interface Frame {
  readonly kind: 'head' | 'content' | 'structure' | 'tail';
  readonly data: string;
}

export const DEFAULT_MODELS: readonly StandInModel[] = [{ id: 'stand-in-model', displayName: 'Stand-in Model', contextLength: 8192, tools: true }];
const DEFAULT_REPLY: ScriptedReply = { text: ['Hello', ' from', ' the', ' stand-in.'] };

export abstract class StandInServer {
  readonly requests: RecordedRequest[] = [];
  readonly models: readonly StandInModel[];
  readonly #server: Server;
  readonly #replies: ScriptedReply[] = [];
  readonly #faults: RequestFault[] = [];
  #url = '';

  protected constructor(
    protected readonly options: StandInOptions,
    /** The path whose requests take scripted replies. */
    readonly chatPath: string,
  ) {
    this.models = options.models ?? DEFAULT_MODELS;
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  /** `http://127.0.0.1:<port>` (no trailing slash). */
  get url(): string {
    return this.#url;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** The requests to the chat endpoint, oldest first. */
  get chats(): RecordedRequest[] {
    return this.requests.filter((request) => request.path.split('?')[0] === this.chatPath);
  }

  /** Queues replies for the next chat requests, in order; without one, a short default text. */
  reply(...replies: ScriptedReply[]): this {
    this.#replies.push(...replies);
    return this;
  }

  /** The next `times` requests, to any path, fail this way before anything else happens. */
  fail(fault: RequestFault, times = 1): this {
    for (let i = 0; i < times; i++) this.#faults.push(fault);
    return this;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  protected async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.#url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  /** The provider's error body for `status`. */
  protected abstract errorAnswer(status: number, message: string | undefined, errorType?: string): ErrorAnswer;
  /** Whether the request carries the configured key the provider's way. */
  protected abstract authorized(request: RecordedRequest): boolean;
  /** Answers a request that passed the faults and the key check. */
  protected abstract route(request: RecordedRequest, res: ServerResponse): Promise<void>;
  /** Bytes that are not this wire format. */
  protected abstract garbageFrame(): string;
  /** The provider's mid-stream error. */
  protected abstract errorFrame(errorType: string | undefined, message: string): string;

  protected nextReply(): ScriptedReply {
    return this.#replies.shift() ?? DEFAULT_REPLY;
  }

  protected model(id: unknown): StandInModel | undefined {
    return this.models.find((model) => model.id === id);
  }

  protected sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  protected sendError(res: ServerResponse, status: number, message?: string, errorType?: string, extraHeaders: Readonly<Record<string, string>> = {}): void {
    const answer = this.errorAnswer(status, message, errorType);
    this.sendJson(res, answer.status, answer.body, { ...answer.headers, ...extraHeaders });
  }

  /**
   * Streams `frames` with `contentType`, pausing `delayMs` between content frames and doing
   * `fault` when its chunk count is reached. Honours backpressure; stops when the client goes.
   */
  protected async stream(res: ServerResponse, contentType: string, frames: readonly Frame[], delayMs = 0, fault?: StreamFault): Promise<void> {
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache', connection: 'keep-alive' });
    let sent = 0;
    for (const frame of frames) {
      if (res.destroyed) return;
      if (fault && frame.kind !== 'head' && sent >= fault.afterChunks) return this.#inject(res, fault);
      if (frame.kind === 'content' && delayMs > 0 && sent > 0) await sleep(delayMs);
      if (!res.write(frame.data)) await drained(res);
      if (frame.kind === 'content') sent += 1;
    }
    res.end();
  }

  async #inject(res: ServerResponse, fault: StreamFault): Promise<void> {
    switch (fault.kind) {
      case 'stall':
        await new Promise<void>((resolve) => res.once('close', resolve));
        return;
      case 'cut':
        // What was written goes out first (destroy drops unsent data): the cut comes after it.
        await new Promise<void>((resolve) => res.write('', () => resolve()));
        await sleep(20);
        res.socket?.destroy();
        return;
      case 'end':
        res.end();
        return;
      case 'garbage':
        res.end(this.garbageFrame());
        return;
      case 'error':
        res.end(this.errorFrame(fault.errorType, fault.message ?? 'Overloaded'));
        return;
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let request: RecordedRequest;
    try {
      request = await readRequest(req);
    } catch {
      this.sendError(res, 400, 'the request body is not JSON');
      return;
    }
    this.requests.push(request);
    const fault = this.#faults.shift();
    if (fault && 'stall' in fault) return void (await new Promise<void>((resolve) => res.once('close', resolve)));
    if (fault && 'cut' in fault) return void req.socket.destroy();
    if (fault) return this.sendError(res, fault.status, fault.message, fault.errorType, fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter });
    if (this.options.apiKey !== undefined && !this.authorized(request)) return this.sendError(res, 401);
    try {
      await this.route(request, res);
    } catch (error) {
      if (!res.headersSent) this.sendError(res, 500, `stand-in failure: ${String(error)}`);
      else res.destroy();
    }
  }
}

async function readRequest(req: IncomingMessage): Promise<RecordedRequest> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  return { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** Resolves when the response can take more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The bearer token of an `Authorization` header, if any. */
export function bearer(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer (.+)$/.exec(headers.authorization ?? '');
  return match?.[1];
}

/** The content chunks a reply streams (the default for usage.outputTokens). */
export function contentChunks(reply: ScriptedReply): number {
  return (reply.text?.length ?? 0) + (reply.toolCalls?.reduce((sum, call) => sum + (call.pieces ?? 3), 0) ?? 0);
}
