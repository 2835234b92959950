import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolCall, ToolSpec } from '../llm-provider.ts';
import { McpError, toolError, type ToolResult } from './mcp-error.ts';
import { assignNames, SERVER_ID, type NameCandidate } from './tool-names.ts';
import { MAX_RESULT_CHARS, toToolResult } from './tool-result.ts';

/**
 * The tools of every connected MCP server as one list for the model, and the one place a model's
 * tool call is routed, limited and turned into a ToolResult (specs/mcp.md §4–5, §7). The registry
 * never throws for a call: whatever goes wrong becomes a tool error the model reads.
 *
 * Servers come and go (the filesystem server is a process that can crash); their process actors
 * attach and detach them here. A detached server's tools leave the list the model is offered but
 * keep their names, so a call the model already planned gets "not running", not "no such tool".
 */

/** What the registry needs of a connected MCP client; the SDK's Client is one. */
export interface McpConnection {
  callTool(
    params: { name: string; arguments: Record<string, unknown> },
    resultSchema?: undefined,
    options?: { signal?: AbortSignal; timeout?: number },
  ): Promise<unknown>;
}

/** A check before a call reaches its server; a ToolResult refuses the call with it. */
export type Preflight = (request: {
  readonly serverTool: string;
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly connection: McpConnection;
  /** Aborts when the caller cancels or the call's deadline passes. */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}) => Promise<ToolResult | undefined>;

/** How LAMA presents one server's tools. Without a profile every tool is offered under its own name. */
export interface ServerProfile {
  /** Server tool name → the name the model sees. When given, only these tools are offered. */
  readonly expose?: Readonly<Record<string, string>>;
  /** Server tool name → a sentence appended to its description (limits the model should know). */
  readonly describe?: Readonly<Record<string, string>>;
  readonly preflight?: Preflight;
}

export interface RegistryLimits {
  /** A call with no answer after this long ends in TIMEOUT. */
  readonly timeoutMs: number;
  /** Results longer than this are cut, with a note. */
  readonly maxResultChars: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** A model-facing name resolved to its server and tool. */
export interface ResolvedTool {
  readonly name: string;
  readonly serverId: string;
  readonly tool: Tool;
  /** False while the server is not running. */
  readonly available: boolean;
}

interface ServerEntry {
  readonly id: string;
  connection: McpConnection | undefined;
  /** Why the server is not running, while `connection` is undefined. */
  down: string;
  tools: readonly Tool[];
  readonly profile: ServerProfile;
}

// JSON-RPC error codes the SDK rejects requests with (ErrorCode in @modelcontextprotocol/sdk/types.js).
const CONNECTION_CLOSED = -32000;
const REQUEST_TIMEOUT = -32001;

export class ToolRegistry {
  readonly limits: RegistryLimits;
  readonly #servers = new Map<string, ServerEntry>();
  #names = new Map<string, NameCandidate & { tool: Tool }>();
  readonly #listeners = new Set<() => void>();

  constructor(limits: Partial<RegistryLimits> = {}) {
    this.limits = { timeoutMs: limits.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxResultChars: limits.maxResultChars ?? MAX_RESULT_CHARS };
  }

  /** A server is up: its tools join the list (replacing what an earlier run of it offered). */
  attach(serverId: string, connection: McpConnection, tools: readonly Tool[], profile: ServerProfile = {}): void {
    if (!SERVER_ID.test(serverId)) throw new McpError('BAD_SERVER', `MCP server id "${serverId}" must match ${SERVER_ID} (lowercase, digits, '-')`);
    this.#servers.set(serverId, { id: serverId, connection, down: '', tools, profile });
    this.#changed();
  }

  /** The server announced a new tool list (tools/list_changed). */
  updateTools(serverId: string, tools: readonly Tool[]): void {
    const entry = this.#servers.get(serverId);
    if (!entry) return;
    entry.tools = tools;
    this.#changed();
  }

  /**
   * The server stopped or crashed: its tools leave the offered list until it attaches again.
   * With `connection`, only if that is still the server's current connection — a late close of an
   * earlier run must not take down the run that replaced it.
   */
  detach(serverId: string, reason: string, connection?: McpConnection): void {
    const entry = this.#servers.get(serverId);
    if (!entry || (connection && entry.connection !== connection)) return;
    entry.connection = undefined;
    entry.down = reason;
    this.#changed();
  }

  /** Forgets a server and its tool names (the user removed it). */
  remove(serverId: string): void {
    if (this.#servers.delete(serverId)) this.#changed();
  }

  /** Called after every change to the tool list. Returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The tools to offer the model now: those of running servers. */
  tools(): ToolSpec[] {
    const specs: ToolSpec[] = [];
    for (const [name, c] of this.#names) {
      const server = this.#servers.get(c.serverId)!;
      if (!server.connection) continue;
      const extra = server.profile.describe?.[c.serverTool];
      const description = [c.tool.description ?? c.tool.title ?? name, extra].filter(Boolean).join(' ');
      specs.push({ name, description, inputSchema: schemaOf(c.tool) });
    }
    return specs;
  }

  resolve(name: string): ResolvedTool | undefined {
    const c = this.#names.get(name);
    if (!c) return undefined;
    return { name, serverId: c.serverId, tool: c.tool, available: this.#servers.get(c.serverId)!.connection !== undefined };
  }

  /** Runs one call on its server within the limits. Never throws. */
  async call(call: ToolCall, signal?: AbortSignal): Promise<ToolResult> {
    const name = String(call.name);
    const args: unknown = call.arguments;
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      return toolError('BAD_ARGUMENTS', `${name}: the arguments must be a JSON object, got ${args === null ? 'null' : Array.isArray(args) ? 'an array' : typeof args}`);
    }
    const c = this.#names.get(name);
    if (!c) {
      const offered = this.tools().map((t) => t.name);
      return toolError('UNKNOWN_TOOL', `there is no tool named "${name}"; the tools are: ${offered.join(', ') || '(none — no tool server is running)'}`);
    }
    const server = this.#servers.get(c.serverId)!;
    const connection = server.connection;
    if (!connection) {
      return toolError('SERVER_UNAVAILABLE', `${name}: the ${c.serverId} tool server is not running (${server.down}); LAMA restarts a crashed server by itself, so try again in a moment`);
    }
    if (signal?.aborted) return cancelled(name);
    const { timeoutMs, maxResultChars } = this.limits;
    // One deadline for the whole call, a profile's preflight included.
    const deadline = AbortSignal.timeout(timeoutMs);
    const both = signal ? AbortSignal.any([signal, deadline]) : deadline;
    try {
      const refused = await server.profile.preflight?.({ serverTool: c.serverTool, name, args: args as Record<string, unknown>, connection, signal: both, timeoutMs });
      if (refused) return refused;
      const raw = await connection.callTool({ name: c.serverTool, arguments: args as Record<string, unknown> }, undefined, { signal: both, timeout: timeoutMs });
      if (!isCallToolResult(raw)) return toolError('TOOL_FAILED', `${name}: the ${c.serverId} server answered with something that is not a tool result`);
      return toToolResult(name, raw, maxResultChars);
    } catch (error) {
      return this.#failure(name, c.serverId, error, signal, deadline);
    }
  }

  #failure(name: string, serverId: string, error: unknown, signal: AbortSignal | undefined, deadline: AbortSignal): ToolResult {
    // The SDK reports any abort as a timeout; the signals say which it was.
    if (signal?.aborted) return cancelled(name);
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === CONNECTION_CLOSED) {
      return toolError(
        'SERVER_CRASHED',
        `${name}: the ${serverId} tool server stopped while running this call, so it may or may not have taken effect; LAMA restarts the server, so try again in a moment`,
      );
    }
    if (code === REQUEST_TIMEOUT || deadline.aborted) return toolError('TIMEOUT', `${name}: no answer from the ${serverId} tool server within ${this.limits.timeoutMs / 1000} s`);
    if (message === 'Not connected') return toolError('SERVER_UNAVAILABLE', `${name}: the ${serverId} tool server is not running; try again in a moment`);
    return toolError('TOOL_FAILED', `${name}: ${message}`);
  }

  #changed(): void {
    const candidates: (NameCandidate & { tool: Tool })[] = [];
    for (const server of this.#servers.values()) {
      for (const tool of server.tools) {
        const exposed = server.profile.expose;
        // hasOwn: a tool named "constructor" must not pick up Object.prototype's.
        const name = !exposed ? tool.name : Object.hasOwn(exposed, tool.name) ? exposed[tool.name] : undefined;
        if (name !== undefined) candidates.push({ serverId: server.id, serverTool: tool.name, name, tool });
      }
    }
    this.#names = assignNames(candidates) as Map<string, NameCandidate & { tool: Tool }>;
    for (const listener of this.#listeners) listener();
  }
}

function cancelled(name: string): ToolResult {
  return toolError('CANCELLED', `${name}: cancelled`);
}

function isCallToolResult(value: unknown): value is CallToolResult {
  return typeof value === 'object' && value !== null && (!('content' in value) || Array.isArray((value as { content: unknown }).content));
}

/** The tool's JSON Schema without `$schema`, which some providers reject and none need. */
function schemaOf(tool: Tool): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = tool.inputSchema as Record<string, unknown>;
  return schema;
}
