import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromCallback } from 'xstate';
import type { McpProcessEvent, McpProcessInput } from '../../../machines/mcp-server.ts';
import { resolveRoots } from './roots.node.ts';
import type { ServerProfile, ToolRegistry } from './tool-registry.ts';

/**
 * The mcp-server machine's `process` actor for a server spoken to over stdio (specs/mcp.md §2):
 * resolves the roots, starts the process, connects an MCP client, attaches it to the registry
 * and says `server.ready`; says `server.exited` (with the end of the server's stderr) when the
 * process dies or cannot start. Stopping the actor detaches the server and ends the process.
 *
 * The client declares the MCP roots capability and answers `roots/list` with the same folders the
 * process was started with, so the server's view of its roots is the same either way.
 */

export interface StdioServerSpec {
  /** How to start the server for these (real, checked) roots. */
  readonly command: (roots: readonly string[]) => { command: string; args: string[]; env?: Record<string, string> };
  readonly profile?: ServerProfile;
}

/** How much of the server's stderr is kept to explain a crash. */
const STDERR_TAIL_CHARS = 2_000;

export function stdioProcessActor(registry: ToolRegistry, spec: StdioServerSpec) {
  return fromCallback<{ type: never }, McpProcessInput>(({ input, sendBack }) => {
    const { serverId } = input;
    let stopped = false;
    let reported = false;
    // One report of the end per process: after it (or after the machine stopped us) stay quiet.
    const exited = (message: string) => {
      if (stopped || reported) return;
      reported = true;
      sendBack({ type: 'server.exited', message } satisfies McpProcessEvent);
    };
    let stderr = '';
    let transport: StdioClientTransport | undefined;
    // No roots listChanged: new roots restart the process (mcp.configure), so there is never a moment
    // in which a server still serves folders the user has just taken away.
    const client = new Client({ name: 'lama', version: '1.0.0' }, { capabilities: { roots: {} } });
    let roots: readonly string[] = [];
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: roots.map((root) => ({ uri: pathToFileURL(root).href, name: basename(root) })) }));
    client.onclose = () => {
      registry.detach(serverId, 'it ended unexpectedly', client);
      exited(`the ${serverId} server ended unexpectedly${lastLines(stderr)}`);
    };

    void (async () => {
      try {
        roots = await resolveRoots(input.roots);
        if (stopped) return;
        transport = new StdioClientTransport({ ...spec.command(roots), stderr: 'pipe' });
        transport.stderr?.on('data', (chunk: Buffer) => {
          stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
        });
        await client.connect(transport);
        const { tools } = await client.listTools();
        if (stopped) return;
        registry.attach(serverId, client, tools, spec.profile);
        sendBack({ type: 'server.ready', pid: transport.pid ?? undefined, tools: tools.length } satisfies McpProcessEvent);
      } catch (error) {
        exited(`the ${serverId} server could not start: ${(error as Error).message}${lastLines(stderr)}`);
        void client.close();
      }
    })();

    return () => {
      stopped = true;
      registry.detach(serverId, 'it was stopped', client);
      void client.close();
    };
  });
}

/** The last lines the server wrote to stderr, to say why it ended. */
function lastLines(stderr: string): string {
  const lines = stderr.trim().split('\n').slice(-3).join(' / ');
  return lines ? ` (it said: ${lines})` : '';
}
