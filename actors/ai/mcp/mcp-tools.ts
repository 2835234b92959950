import type { ToolCall, ToolSpec } from '../llm-provider.ts';
import { decide, withRule, type ApprovalPolicy, type Decision, type Rule } from './approval-policy.ts';
import type { ApprovalStore } from './approval-store.ts';
import { McpError, toolError, type ToolResult } from './mcp-error.ts';
import type { ToolRegistry } from './tool-registry.ts';

/**
 * What the AI listener's tool loop uses (specs/mcp.md §3): the tools to describe in the prompt,
 * whether a call needs the user, the user's answer, and running the call. The loop is
 *
 *     const need = mcp.needsApproval(call);
 *     if (need.decision === 'ask') await mcp.remember({ call, choice: await askTheUser(need) });
 *     const result = await mcp.execute(call, signal);   // always: it also turns refusals into tool errors
 *
 * `execute` enforces the policy itself — a call that needs approval and has none, was denied, or
 * is blocked never reaches a server, whatever the caller does — so a bug in the loop cannot run a
 * mutating tool unasked.
 */

/** The user's answer to an approval prompt. */
export type ApprovalChoice = 'allowOnce' | 'alwaysAllow' | 'deny';

export interface ApprovalDecision {
  readonly call: ToolCall;
  readonly choice: ApprovalChoice;
}

/** What the approval prompt shows, and whether there is one. */
export interface ApprovalNeed {
  readonly decision: Decision;
  /** The server and its own tool name; absent for a name no server offers. */
  readonly serverId?: string;
  readonly tool?: string;
  /** The tool's human title (MCP `title`), else its model-facing name. */
  readonly title: string;
  /** The tool may overwrite or delete (MCP: not read-only and not `destructiveHint: false`). */
  readonly destructive: boolean;
  readonly reason: string;
}

/** One-shot answers waiting for their `execute`; a loop that never executes cannot grow this without bound. */
const MAX_PENDING_ANSWERS = 256;

export class McpTools {
  readonly #registry: ToolRegistry;
  readonly #store: ApprovalStore;
  #policy: ApprovalPolicy;
  /** call id → the one-shot answer and the exact call it was given for. */
  readonly #answers = new Map<string, { choice: 'allowOnce' | 'deny'; fingerprint: string }>();
  #saving: Promise<void> = Promise.resolve();

  private constructor(registry: ToolRegistry, store: ApprovalStore, policy: ApprovalPolicy) {
    this.#registry = registry;
    this.#store = store;
    this.#policy = policy;
  }

  /** Loads the policy; rejects with McpError BAD_POLICY when the stored one is unreadable (it is left untouched). */
  static async open(registry: ToolRegistry, store: ApprovalStore): Promise<McpTools> {
    return new McpTools(registry, store, await store.load());
  }

  get policy(): ApprovalPolicy {
    return this.#policy;
  }

  tools(): ToolSpec[] {
    return this.#registry.tools();
  }

  needsApproval(call: ToolCall): ApprovalNeed {
    const resolved = this.#registry.resolve(call.name);
    if (!resolved) return { decision: 'refuse', title: call.name, destructive: false, reason: `there is no tool named "${call.name}"` };
    const { serverId, tool } = resolved;
    const annotations = tool.annotations;
    const readOnly = annotations?.readOnlyHint === true;
    const decision = decide(serverId, tool.name, annotations, this.#policy);
    const reason =
      decision === 'refuse'
        ? `${call.name} is blocked for the ${serverId} tool server`
        : decision === 'run'
          ? readOnly
            ? `${call.name} only reads`
            : `${call.name} is always allowed for the ${serverId} tool server`
          : readOnly
            ? `${call.name} is set to ask on every call`
            : `${call.name} can change files or data`;
    return {
      decision,
      serverId,
      tool: tool.name,
      title: annotations?.title ?? tool.title ?? call.name,
      destructive: !readOnly && annotations?.destructiveHint !== false,
      reason,
    };
  }

  /**
   * Records the user's answer for `call`. `alwaysAllow` also puts the tool on its server's allow
   * list and saves the policy (resolves once it is stored); `allowOnce` and `deny` hold for this
   * exact call only (same id, name and arguments).
   */
  async remember({ call, choice }: ApprovalDecision): Promise<void> {
    if (choice === 'alwaysAllow') {
      const resolved = this.#registry.resolve(call.name);
      if (!resolved) throw new McpError('UNKNOWN_TOOL', `cannot always allow "${call.name}": no tool server offers it`);
      await this.setRule(resolved.serverId, resolved.tool.name, 'allow');
      return;
    }
    this.#answers.delete(call.id);
    this.#answers.set(call.id, { choice, fingerprint: fingerprint(call) });
    if (this.#answers.size > MAX_PENDING_ANSWERS) this.#answers.delete(this.#answers.keys().next().value!);
  }

  /** Puts one tool (or `*`) of a server on a list, or on none, and saves; the settings screen's edit. */
  async setRule(serverId: string, tool: string, rule: Rule | null): Promise<void> {
    this.#policy = withRule(this.#policy, serverId, tool, rule);
    const policy = this.#policy;
    // In order, so a slow save never lands after a later one.
    const saved = this.#saving.then(() => this.#store.save(policy));
    this.#saving = saved.catch(() => undefined);
    await saved;
  }

  /** Runs the call if the policy and the user allow it; otherwise a tool error saying why. Never throws. */
  async execute(call: ToolCall, signal?: AbortSignal): Promise<ToolResult> {
    const resolved = this.#registry.resolve(call.name);
    // An unknown name or bad arguments: the registry words the error and runs nothing.
    if (!resolved) return this.#registry.call(call, signal);
    const answer = this.#answers.get(call.id);
    this.#answers.delete(call.id);
    const given = answer && answer.fingerprint === fingerprint(call) ? answer.choice : undefined;
    switch (decide(resolved.serverId, resolved.tool.name, resolved.tool.annotations, this.#policy)) {
      case 'refuse':
        return toolError('BLOCKED', `${call.name}: blocked by the user's tool settings for the ${resolved.serverId} tool server; do not retry it`);
      case 'ask':
        if (given === 'allowOnce') break;
        if (given === 'deny') return denied(call);
        return toolError('APPROVAL_REQUIRED', `${call.name}: this call needs the user's approval, and none was given`);
      case 'run':
        if (given === 'deny') return denied(call);
    }
    return this.#registry.call(call, signal);
  }
}

function denied(call: ToolCall): ToolResult {
  return toolError('DENIED', `${call.name}: the user declined this call; do not retry it unless the user asks`);
}

/** The call as the user saw it: an answer given for one set of arguments never covers another. */
function fingerprint(call: ToolCall): string {
  return JSON.stringify([call.name, canonical(call.arguments)]);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
