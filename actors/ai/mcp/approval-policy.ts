import { z } from 'zod';
import { McpError } from './mcp-error.ts';

/**
 * Which tool calls run at once, which wait for the user, and which never run (specs/mcp.md §6).
 * Pure: the policy is a value, `decide` a function of it; ApprovalStore keeps it across restarts.
 *
 * A tool runs without asking only when it declares itself read-only (MCP's `readOnlyHint: true`)
 * or the user has allowed it for that server. Everything else — writes, moves, deletes, and any
 * tool that says nothing about itself — asks per call. The user's lists per server override the
 * hint either way: `block` refuses, `ask` asks even for a read-only tool, `allow` runs. A list
 * entry is a server's own tool name or `*` for all of its tools; a named entry beats `*`, and
 * within each, block beats ask beats allow.
 *
 * Annotations are trusted because LAMA only connects servers it starts itself (the filesystem
 * server at a pinned version, and its own in-process server); a third-party server would need its
 * annotations ignored (treated as absent) before being added here.
 */

export type Rule = 'allow' | 'ask' | 'block';
export type Decision = 'run' | 'ask' | 'refuse';

/** Every tool name a server's list may hold; `*` stands for all of the server's tools. */
export const ALL_TOOLS = '*';

export interface ServerRules {
  readonly allow: readonly string[];
  readonly ask: readonly string[];
  readonly block: readonly string[];
}

export interface ApprovalPolicy {
  readonly version: 1;
  /** Server id → its lists. Tool names are the server's own (`read_text_file`), not the model's. */
  readonly servers: Readonly<Record<string, ServerRules>>;
}

/** The hints decide reads; an MCP Tool's `annotations` is one. */
export interface ToolHints {
  readonly readOnlyHint?: boolean;
}

export const EMPTY_POLICY: ApprovalPolicy = { version: 1, servers: {} };

const RULES: readonly Rule[] = ['block', 'ask', 'allow'];
const VERDICT: Record<Rule, Decision> = { block: 'refuse', ask: 'ask', allow: 'run' };

export function decide(server: string, tool: string, annotations: ToolHints | undefined, policy: ApprovalPolicy): Decision {
  const rules = Object.hasOwn(policy.servers, server) ? policy.servers[server] : undefined;
  if (rules) {
    for (const entry of [tool, ALL_TOOLS]) {
      for (const rule of RULES) if (rules[rule].includes(entry)) return VERDICT[rule];
    }
  }
  return annotations?.readOnlyHint === true ? 'run' : 'ask';
}

/**
 * The policy with `tool` (or `*`) of `server` on exactly one list, or on none (`null`: back to
 * what its hint says). "Always allow this tool" is `withRule(policy, server, tool, 'allow')`.
 */
export function withRule(policy: ApprovalPolicy, server: string, tool: string, rule: Rule | null): ApprovalPolicy {
  const current = (Object.hasOwn(policy.servers, server) ? policy.servers[server] : undefined) ?? { allow: [], ask: [], block: [] };
  const next = Object.fromEntries(
    RULES.map((r) => {
      const others = current[r].filter((t) => t !== tool);
      return [r, r === rule ? [...others, tool] : others];
    }),
  ) as unknown as ServerRules;
  const servers = { ...policy.servers, [server]: next };
  if (RULES.every((r) => next[r].length === 0)) delete servers[server];
  return { version: 1, servers };
}

const toolList = z.array(z.string().min(1).max(128)).max(1_000);
const policySchema = z.object({
  version: z.literal(1),
  servers: z.record(z.string().min(1).max(64), z.object({ allow: toolList, ask: toolList, block: toolList }).strict()),
}).strict();

/** A policy from its stored JSON; anything else is BAD_POLICY, saying what is wrong. */
export function parsePolicy(json: string): ApprovalPolicy {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new McpError('BAD_POLICY', `the stored tool approval policy is not JSON (${(error as Error).message})`);
  }
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > 1) {
    throw new McpError('BAD_POLICY', `the stored tool approval policy is version ${version}, newer than this LAMA understands (1); it is left as it is`);
  }
  const parsed = policySchema.safeParse(value);
  if (!parsed.success) throw new McpError('BAD_POLICY', `the stored tool approval policy is malformed: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function serializePolicy(policy: ApprovalPolicy): string {
  return JSON.stringify(policy);
}
