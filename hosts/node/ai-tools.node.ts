import { createActor, type Actor, type InspectionEvent } from 'xstate';
import type { Chat } from '../../actors/chat/chat.ts';
import type { Person } from '../../actors/identity/identity-recipes.ts';
import { SecretApprovalStore } from '../../actors/ai/mcp/approval-store.ts';
import { deleteFileTool } from '../../actors/ai/mcp/delete-file-tool.node.ts';
import { FILESYSTEM_SERVER_ID, filesystemProcessActor } from '../../actors/ai/mcp/filesystem-server.node.ts';
import { LamaToolServer } from '../../actors/ai/mcp/lama-tool-server.ts';
import { McpTools } from '../../actors/ai/mcp/mcp-tools.ts';
import { resolveRoots } from '../../actors/ai/mcp/roots.node.ts';
import { searchMessagesTool, type MessageHit } from '../../actors/ai/mcp/search-messages-tool.ts';
import { ToolRegistry } from '../../actors/ai/mcp/tool-registry.ts';
import type { SHA256Hash } from '../../actors/store/hash.ts';
import type { ObjectStore } from '../../actors/store/object-store.ts';
import { mcpServerMachine } from '../../machines/mcp-server.ts';

/**
 * The AI's tools in the Node host (specs/mcp.md §3): one registry; LAMA's own tool server
 * (`delete_file` within the chosen folders, `search_messages` over the user's topics); the real
 * filesystem MCP server as a supervised process, running only once the user chose folders; and
 * McpTools over them with the approval policy kept in the local secrets. The folders are a device
 * setting (local secret `ai/mcp/roots`), never synced.
 */
export const ROOTS_SECRET = 'ai/mcp/roots';
const SEARCH_TOPIC_MESSAGES = 500;

export interface AiTools {
  readonly tools: McpTools;
  /** Every server's tools as offered; the settings view lists them with their approval rules. */
  readonly registry: ToolRegistry;
  readonly server: Actor<typeof mcpServerMachine>;
  roots(): readonly string[];
  /** Checks and keeps the folders the file tools may reach; the filesystem server restarts with them (none: it stops). */
  setRoots(paths: readonly string[]): Promise<readonly string[]>;
  close(): Promise<void>;
}

export async function startAiTools(options: { store: ObjectStore; chat: Chat; inspect?: (event: InspectionEvent) => void }): Promise<AiTools> {
  const { store, chat } = options;
  const saved = await store.adapter.getSecret(ROOTS_SECRET);
  let roots: readonly string[] = saved ? (JSON.parse(new TextDecoder().decode(saved)) as string[]) : [];

  const registry = new ToolRegistry();
  const lama = new LamaToolServer();
  lama.register(deleteFileTool(() => [...roots]));
  lama.register(searchMessagesTool((query, { limit, signal }) => searchMessages(store, chat, query, limit, signal)));
  await lama.connect(registry);
  const tools = await McpTools.open(registry, new SecretApprovalStore(store.adapter));

  const server = createActor(mcpServerMachine.provide({ actors: { process: filesystemProcessActor(registry) } }), {
    input: { serverId: FILESYSTEM_SERVER_ID, roots },
    ...(options.inspect ? { inspect: options.inspect } : {}),
  }).start();
  if (roots.length > 0) server.send({ type: 'mcp.start' });

  return {
    tools,
    registry,
    server,
    roots: () => roots,
    setRoots: async (paths) => {
      const checked = paths.length === 0 ? [] : await resolveRoots(paths);
      await store.adapter.write({ secrets: [{ name: ROOTS_SECRET, value: new TextEncoder().encode(JSON.stringify(checked)) }] });
      roots = checked;
      if (checked.length === 0) server.send({ type: 'mcp.stop' });
      else {
        server.send({ type: 'mcp.configure', roots: checked });
        if (server.getSnapshot().matches('stopped') || server.getSnapshot().matches('failed')) server.send({ type: 'mcp.start' });
      }
      return checked;
    },
    close: async () => {
      server.send({ type: 'mcp.stop' });
      server.stop();
      await lama.close();
    },
  };
}

/** The newest messages of the user's topics whose text holds `query` (case-insensitive), newest first. */
async function searchMessages(store: ObjectStore, chat: Chat, query: string, limit: number, signal: AbortSignal): Promise<MessageHit[]> {
  const needle = query.toLowerCase();
  const names = new Map<string, string>();
  const nameOf = async (personId: SHA256Hash) => {
    if (!names.has(personId)) names.set(personId, (await store.getLatest<Person>(personId).catch(() => undefined))?.object.name ?? 'Someone');
    return names.get(personId)!;
  };
  const hits: MessageHit[] = [];
  for (const { idHash, topic } of await chat.topics()) {
    if (signal.aborted) break;
    for (const { message } of await chat.messages(idHash, { limit: SEARCH_TOPIC_MESSAGES })) {
      if (message.kind !== 'system' && message.text.toLowerCase().includes(needle)) {
        hits.push({ topic: topic.name, author: await nameOf(message.author), sentAt: message.createdAt, text: message.text });
      }
    }
  }
  return hits.sort((a, b) => b.sentAt - a.sentAt).slice(0, limit);
}
