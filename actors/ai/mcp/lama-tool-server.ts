import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { ERROR_CODE_META, isMcpError, McpError } from './mcp-error.ts';
import type { ToolRegistry } from './tool-registry.ts';

/**
 * LAMA's own MCP server, in process (specs/mcp.md §3): the tools the filesystem server lacks
 * (`delete_file`) and LAMA's own (`search_messages`), each registered by whoever provides it. It
 * speaks MCP over an in-memory transport, so the registry, the approval policy and the limits
 * treat its tools exactly like the filesystem server's.
 */

export const LAMA_SERVER_ID = 'lama';

/** A tool LAMA provides. Its input is a zod object shape; the server validates calls against it. */
export interface LamaTool<Shape extends z.ZodRawShape = z.ZodRawShape> {
  /** The name the model sees (`[A-Za-z0-9_-]{1,64}`), unique on this server. */
  readonly name: string;
  readonly title: string;
  /** What the model reads to decide when to call it: say what it does and what it returns. */
  readonly description: string;
  readonly input: Shape;
  /** True when it only reads: it then runs without asking (unless the user's policy says otherwise). */
  readonly readOnly: boolean;
  /** For a tool that writes: false when it only adds and never overwrites or deletes. Defaults to true. */
  readonly destructive?: boolean;
  /**
   * Runs one call; the returned text goes to the model. Throw McpError (OUTSIDE_ROOTS, TOO_LARGE…)
   * or any Error for a tool error with that message.
   */
  run(args: z.infer<z.ZodObject<Shape>>, signal: AbortSignal): Promise<string>;
}

export class LamaToolServer {
  readonly #server = new McpServer(
    { name: 'lama', version: '1.0.0' },
    // Declared up front so tools can be registered after connecting (the SDK cannot add the capability later).
    { capabilities: { tools: { listChanged: true } } },
  );
  #client: Client | undefined;

  /** Adds a tool (connected clients hear tools/list_changed). Returns its removal. */
  register<Shape extends z.ZodRawShape>(tool: LamaTool<Shape>): () => void {
    let registered;
    try {
      registered = this.#server.registerTool(
        tool.name,
        {
          title: tool.title,
          description: tool.description,
          inputSchema: tool.input,
          annotations: tool.readOnly
            ? { title: tool.title, readOnlyHint: true, openWorldHint: false }
            : { title: tool.title, readOnlyHint: false, destructiveHint: tool.destructive ?? true, openWorldHint: false },
        },
        // The SDK's callback type is generic over zod 3 and 4 shapes at once; the arguments it passes are the parsed shape.
        (async (args: z.infer<z.ZodObject<Shape>>, extra: { signal: AbortSignal }) => runTool(tool, args, extra.signal)) as never,
      );
    } catch (error) {
      throw new McpError('BAD_SERVER', `cannot register the tool "${tool.name}": ${(error as Error).message}`);
    }
    return () => registered.remove();
  }

  /** Connects the server to `registry` as `serverId`, in process. */
  async connect(registry: ToolRegistry, serverId = LAMA_SERVER_ID): Promise<void> {
    if (this.#client) throw new McpError('BAD_SERVER', `the LAMA tool server is already connected`);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client(
      { name: 'lama', version: '1.0.0' },
      {
        listChanged: {
          tools: {
            debounceMs: 0,
            onChanged: (error, tools) => {
              if (!error && tools) registry.updateTools(serverId, tools);
            },
          },
        },
      },
    );
    await this.#server.connect(serverSide);
    await client.connect(clientSide);
    const { tools } = await client.listTools();
    this.#client = client;
    registry.attach(serverId, client, tools);
  }

  async close(): Promise<void> {
    await this.#client?.close();
    await this.#server.close();
    this.#client = undefined;
  }
}

async function runTool<Shape extends z.ZodRawShape>(tool: LamaTool<Shape>, args: z.infer<z.ZodObject<Shape>>, signal: AbortSignal): Promise<CallToolResult> {
  try {
    return { content: [{ type: 'text', text: await tool.run(args, signal) }] };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { content: [{ type: 'text', text }], isError: true, ...(isMcpError(error) ? { _meta: { [ERROR_CODE_META]: error.code } } : {}) };
  }
}
