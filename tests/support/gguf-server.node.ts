import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A stand-in for the model host (Hugging Face) on 127.0.0.1: serves one file at `/model.gguf` with
 * HTTP Range support, as the hub's CDN does, and misbehaves on request — holds a response after
 * some bytes (until `cut()` drops it, or for ever: a stall), ignores Range, answers a status, lies
 * about the length — so the downloader's resume and checks are tested against real sockets.
 * Records every request's Range.
 *
 * A test cuts a held response once the client has the bytes (say, from its progress callback), not
 * after a delay: a client that has bytes in its socket but not yet read them loses them when the
 * connection fails (a WHATWG stream drops queued chunks on error), and the test would not know how
 * much arrived.
 */

export interface Fault {
  /** Send only this many body bytes, then hold the response open (until `cut()`, if ever). */
  holdAfter?: number;
  /** Answer with this status and no body. */
  status?: number;
  /** Answer 200 with the whole file even when asked for a range. */
  ignoreRange?: boolean;
  /** Claim this many bytes in Content-Length. */
  contentLength?: number;
}

export class GgufServer {
  readonly requests: Array<{ range: string | undefined }> = [];
  readonly #faults: Fault[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #held = new Set<ServerResponse>();
  #server: Server | undefined;
  #port = 0;

  private constructor(readonly body: Uint8Array) {}

  static async start(body: Uint8Array, port = 0): Promise<GgufServer> {
    const server = new GgufServer(body);
    await server.listen(port);
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}/model.gguf`;
  }

  /** The next request misbehaves so (each call queues one fault, used in order). */
  fault(fault: Fault): this {
    this.#faults.push(fault);
    return this;
  }

  async listen(port = this.#port): Promise<void> {
    const server = createServer((request, response) => this.#serve(request, response));
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Drops every held response's connection (a FIN after the bytes sent: the client sees the body end short). */
  cut(): void {
    for (const response of this.#held) response.socket?.end();
    this.#held.clear();
  }

  /** Stops listening and cuts every open connection: the server is "down" (same port on listen()). */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #serve(request: IncomingMessage, response: ServerResponse): void {
    const range = request.headers.range;
    this.requests.push({ range });
    const fault = this.#faults.shift() ?? {};
    if (request.url !== '/model.gguf') return void response.writeHead(404).end();
    if (fault.status) return void response.writeHead(fault.status).end();
    let start = 0;
    const match = /^bytes=(\d+)-$/.exec(range ?? '');
    if (match && !fault.ignoreRange) {
      start = Number(match[1]);
      if (start >= this.body.length) return void response.writeHead(416, { 'content-range': `bytes */${this.body.length}` }).end();
    }
    const slice = this.body.subarray(start);
    const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes', 'content-length': fault.contentLength ?? slice.length };
    if (start > 0) headers['content-range'] = `bytes ${start}-${this.body.length - 1}/${this.body.length}`;
    response.writeHead(start > 0 ? 206 : 200, headers);
    if (fault.holdAfter === undefined) return void response.end(slice);
    this.#held.add(response);
    response.write(slice.subarray(0, fault.holdAfter));
  }
}
