import type { AnyActorRef, Subscription } from 'xstate';
import type { LlmManager, ProviderEntry } from '../../actors/ai/llm-manager.ts';
import { decide, type ApprovalPolicy, type Rule } from '../../actors/ai/mcp/approval-policy.ts';
import { FILESYSTEM_SERVER_ID } from '../../actors/ai/mcp/filesystem-server.node.ts';
import type { ObjectStore } from '../../actors/store/object-store.ts';
import { poolStatus, type PoolSnapshot } from '../../machines/worker-pool.ts';
import { SYSTEM_ID } from '../../machines/system-ids.ts';
import type { PayloadOf, ResponseOf } from '../ipc/channels.ts';
import { OrchestrationError } from '../ipc/orchestration-error.ts';
import type { InvokeHandlers } from '../ipc/orchestrator.ts';
import type { PushEmitter } from '../ipc/push-emitter.ts';
import type { AiTools } from './ai-tools.node.ts';

/**
 * The orchestration the settings, devices and data views read and change (specs/ipc.md §1.3):
 * the LLM providers (never a key: only whether one is set), the AI tools' folders and approval
 * lists, the archive's counts per type, the worker pool, the host's folder. Translation only —
 * LlmManager, McpTools and the actors decide — and pushes for what changes on its own
 * (status:aiProviders, status:workerPool).
 */
export interface ViewSources {
  readonly dataDir: string;
  /** The user's LLM manager and AI tools, once the user is unlocked. */
  ai(): { readonly manager: LlmManager; readonly tools: AiTools } | undefined;
  store(): ObjectStore | undefined;
  /** Where the federation listener is reached, once it listens. */
  federationUrl(): string | undefined;
  /** The app actor's system, where the worker pool runs under its systemId. */
  readonly system: { get(id: string): AnyActorRef | undefined };
}

type Providers = ResponseOf<'orchestrate:aiProviders'>;
type ToolSettings = ResponseOf<'orchestrate:toolSettings'>;
type PoolPayload = PayloadOf<'status:workerPool'>;

/** Pool snapshots change with every task; the view needs a few frames a second at most. */
export const POOL_PUSH_INTERVAL_MS = 250;

export interface ViewHandlers {
  readonly handlers: Pick<
    InvokeHandlers,
    | 'orchestrate:hostInfo'
    | 'orchestrate:aiProviders'
    | 'orchestrate:detectProviders'
    | 'orchestrate:saveProvider'
    | 'orchestrate:removeProvider'
    | 'orchestrate:checkProvider'
    | 'orchestrate:toolSettings'
    | 'orchestrate:setToolRule'
    | 'orchestrate:storeStats'
    | 'orchestrate:workerPool'
  >;
  /** The providers changed (added, removed, a check answered): pushes status:aiProviders. */
  providersChanged(): void;
  /** The app (re)started a child: follows the worker pool that runs now. */
  followPool(): void;
  dispose(): void;
}

export function createViewHandlers(sources: ViewSources, pushes: PushEmitter): ViewHandlers {
  const ai = () => {
    const running = sources.ai();
    if (!running) throw new OrchestrationError('NOT_READY', 'the user is not unlocked yet');
    return running;
  };
  const providers = (manager: LlmManager): Providers => ({ providers: manager.providers().map(providerPayload) });

  let pool: AnyActorRef | undefined;
  let poolSubscription: Subscription | undefined;
  let lastPool = '';
  let poolTimer: ReturnType<typeof setTimeout> | undefined;
  const publishPool = () => {
    poolTimer = undefined;
    const payload = poolPayload(pool);
    const text = JSON.stringify(payload);
    if (text === lastPool) return;
    lastPool = text;
    pushes.publish('status:workerPool', payload);
  };

  return {
    handlers: {
      'orchestrate:hostInfo': async () => ({ dataDir: sources.dataDir, federationUrl: sources.federationUrl() ?? null }),
      'orchestrate:aiProviders': async () => providers(ai().manager),
      'orchestrate:detectProviders': async () => {
        const { manager } = ai();
        await manager.detectLocalProviders();
        return providers(manager);
      },
      'orchestrate:saveProvider': async ({ id, kind, endpoint, apiKey }) => {
        const { manager } = ai();
        const existing = manager.provider(id);
        if (existing && !existing.persisted) throw new OrchestrationError('BUILT_IN', `provider ${id} is part of LAMA; choose another id`);
        const entry = await manager.save({ id, kind, ...(endpoint ? { endpoint } : {}), ...(apiKey ? { apiKey } : {}) });
        return { provider: providerPayload(entry) };
      },
      'orchestrate:removeProvider': async ({ id }) => {
        const { manager } = ai();
        const existing = manager.provider(id);
        if (existing && !existing.persisted) throw new OrchestrationError('BUILT_IN', `provider ${id} is part of LAMA and cannot be removed`);
        await manager.remove(id);
        return {};
      },
      'orchestrate:checkProvider': async ({ id }) => ({ health: await ai().manager.checkHealth(id) }),
      'orchestrate:toolSettings': async () => toolSettings(ai().tools),
      'orchestrate:setToolRule': async ({ server, tool, rule }) => {
        const { tools } = ai();
        await tools.tools.setRule(server, tool, rule);
        return toolSettings(tools);
      },
      'orchestrate:storeStats': async () => {
        const store = sources.store();
        if (!store) throw new OrchestrationError('NOT_READY', 'the archive is still opening');
        if (!store.adapter.countByType) throw new OrchestrationError('NOT_IMPLEMENTED', 'this archive cannot count its objects by type');
        return { types: (await store.adapter.countByType()).map(({ type, objects, bytes }) => ({ type: type.slice(0, 100), objects, bytes })) };
      },
      'orchestrate:workerPool': async () => poolPayload(pool ?? sources.system.get(SYSTEM_ID.workerPool)),
    },
    providersChanged: () => {
      const running = sources.ai();
      if (running) pushes.publish('status:aiProviders', providers(running.manager));
    },
    followPool: () => {
      const current = sources.system.get(SYSTEM_ID.workerPool);
      if (current === pool) return;
      poolSubscription?.unsubscribe();
      pool = current;
      poolSubscription = current?.subscribe({
        next: () => {
          poolTimer ??= setTimeout(publishPool, POOL_PUSH_INTERVAL_MS);
        },
        error: () => undefined,
      });
      poolTimer ??= setTimeout(publishPool, POOL_PUSH_INTERVAL_MS);
    },
    dispose: () => {
      poolSubscription?.unsubscribe();
      clearTimeout(poolTimer);
    },
  };
}

/** What the renderer may see of a provider: no key, and no credentials in the endpoint. */
export function providerPayload(entry: ProviderEntry): Providers['providers'][number] {
  return {
    id: entry.id,
    kind: entry.kind,
    ...(entry.endpoint ? { endpoint: withoutCredentials(entry.endpoint) } : {}),
    hasKey: entry.hasKey,
    persisted: entry.persisted,
    health: entry.health ? (entry.health.status === 'ok' ? entry.health : { status: entry.health.status, message: entry.health.message.slice(0, 1000) }) : null,
    checkedAt: entry.checkedAt ?? null,
    models: entry.models.slice(0, 1000).map((model) => ({
      id: model.id.slice(0, 512),
      name: (model.name || model.id).slice(0, 512),
      ...(model.contextLength ? { contextLength: model.contextLength } : {}),
      tools: model.capabilities.tools,
    })),
  };
}

function withoutCredentials(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    if (!url.username && !url.password) return endpoint.slice(0, 2048);
    url.username = '';
    url.password = '';
    return url.href.slice(0, 2048);
  } catch {
    return '';
  }
}

/** Every server with tools now, plus those the lists name and the filesystem server (off until folders are chosen). */
export function toolSettings(ai: AiTools): ToolSettings {
  const policy = ai.tools.policy;
  const rows = new Map<string, ToolSettings['servers'][number]['tools']>();
  for (const spec of ai.registry.tools()) {
    const resolved = ai.registry.resolve(spec.name);
    if (!resolved) continue;
    const { serverId, tool } = resolved;
    const list = rows.get(serverId) ?? [];
    list.push({
      name: tool.name,
      title: (tool.annotations?.title ?? tool.title ?? spec.name).slice(0, 200),
      readOnly: tool.annotations?.readOnlyHint === true,
      rule: ruleOf(policy, serverId, tool.name),
      decision: decide(serverId, tool.name, tool.annotations, policy),
    });
    rows.set(serverId, list);
  }
  const ids = new Set([FILESYSTEM_SERVER_ID, ...rows.keys(), ...Object.keys(policy.servers)]);
  return {
    roots: [...ai.roots()],
    servers: [...ids].sort().map((id) => {
      const lists = Object.hasOwn(policy.servers, id) ? policy.servers[id]! : { allow: [], ask: [], block: [] };
      return {
        id,
        running: rows.has(id),
        tools: (rows.get(id) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
        rules: { allow: [...lists.allow], ask: [...lists.ask], block: [...lists.block] },
      };
    }),
  };
}

/** The list a tool is named on (not through `*`), if any. */
function ruleOf(policy: ApprovalPolicy, server: string, tool: string): Rule | null {
  const lists = Object.hasOwn(policy.servers, server) ? policy.servers[server] : undefined;
  if (!lists) return null;
  return (['block', 'ask', 'allow'] as const).find((rule) => lists[rule].includes(tool)) ?? null;
}

/** The pool's status for the dashboard; a pool that is not the worker-pool machine (tests) has no workers to show. */
export function poolPayload(pool: AnyActorRef | undefined): PoolPayload {
  const snapshot = pool?.getSnapshot() as PoolSnapshot | undefined;
  if (!snapshot?.context || typeof snapshot.context !== 'object' || !('queues' in snapshot.context)) return { kinds: [] };
  return {
    kinds: Object.entries(poolStatus(snapshot).kinds).map(([kind, { queued, workers }]) => ({
      kind,
      queued,
      workers: workers.map((w) => ({ id: w.id, state: w.state, inFlight: w.inFlight, restarts: w.restarts, ...(w.lastError ? { lastError: w.lastError.slice(0, 1000) } : {}) })),
    })),
  };
}
