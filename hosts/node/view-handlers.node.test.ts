import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import type { LlmProvider } from '../../actors/ai/llm-provider.ts';
import type { PushMessage } from '../ipc/channels.ts';
import type { ControlClient } from '../ipc/control-client.ts';
import { connectAsPage } from '../../tests/support/node-control-client.node.ts';
import { AnthropicStandIn } from '../../tests/support/stand-ins/anthropic-stand-in.node.ts';
import { OllamaStandIn } from '../../tests/support/stand-ins/ollama-stand-in.node.ts';
import { startTestHost, type TestHost } from '../../tests/support/test-host.node.ts';
import { defaultKinds, nodeWorkerPoolChild } from '../workers/node-pool.node.ts';
import { DEFAULT_EMBEDDED_MODEL } from '../../actors/ai/embedded/default-model.ts';
import { poolPayload } from './view-handlers.node.ts';

/**
 * The views' channels end to end over the control socket (dispatch and schemas included): providers
 * listed, added, checked and removed without a key ever coming back, tool rules set, the archive
 * counted per type, the pool and the host's folder reported.
 */
const SECRET_KEY = 'sk-ant-very-secret-key-1234';

/** The embedded model as the host registers it: not saved, not removable. */
const builtIn: LlmProvider = {
  id: 'embedded',
  kind: 'embedded',
  listModels: async () => [{ id: 'tiny.gguf', name: 'Tiny', capabilities: { tools: false } }],
  health: async () => ({ status: 'ok', latencyMs: 1 }),
  // eslint-disable-next-line require-yield -- never asked to answer here
  complete: async function* () {
    throw new Error('not used');
  },
};

describe('the views\' orchestration channels', () => {
  let ollama: OllamaStandIn;
  let claude: AnthropicStandIn;
  let test: TestHost;
  let page: ControlClient;
  const pushes: PushMessage[] = [];
  const heard: string[] = [];

  beforeAll(async () => {
    [ollama, claude] = await Promise.all([
      OllamaStandIn.start({ models: [{ id: 'tiny:1b', displayName: 'Tiny', contextLength: 4096, tools: true }] }),
      AnthropicStandIn.start({ apiKey: SECRET_KEY, models: [{ id: 'claude-test', displayName: 'Claude Test' }] }),
    ]);
    test = await startTestHost({
      detectLocalProviders: false,
      configureAi: async (manager) => {
        await manager.save({ id: 'ollama', kind: 'ollama', endpoint: ollama.url });
        await manager.register(builtIn);
      },
    });
    page = await connectAsPage(test.host.url);
    for (const channel of ['status:aiProviders', 'status:workerPool'] as const) {
      page.on(channel, (payload) => {
        pushes.push({ channel, payload } as PushMessage);
        heard.push(JSON.stringify(payload));
      });
    }
  }, 60_000);

  afterAll(async () => {
    await page?.close();
    await test?.dispose();
    await Promise.all([ollama?.close(), claude?.close()]);
  });

  it('answers NOT_READY for the user\'s settings until the user is unlocked, and the host\'s folder at once', async () => {
    await expect(page['orchestrate:aiProviders']({})).rejects.toMatchObject({ code: 'NOT_READY' });
    await expect(page['orchestrate:toolSettings']({})).rejects.toMatchObject({ code: 'NOT_READY' });
    const info = await page['orchestrate:hostInfo']({});
    expect(info.dataDir).toMatch(/lama-host-/);
    await test.host.provision({ name: 'Ada', passphrase: 'correct horse battery' });
    await expect.poll(async () => (await page['orchestrate:hostInfo']({})).federationUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lists the providers with their health and models, the built-in one marked', async () => {
    const { providers } = await page['orchestrate:aiProviders']({});
    expect(providers.map((p) => [p.id, p.kind, p.persisted, p.hasKey])).toEqual([
      ['ollama', 'ollama', true, false],
      ['embedded', 'embedded', false, false],
    ]);
    const local = providers[0]!;
    expect(local.health).toMatchObject({ status: 'ok' });
    expect(local.endpoint).toBe(ollama.url);
    expect(local.models).toEqual([{ id: 'tiny:1b', name: 'tiny:1b', contextLength: 4096, tools: true }]);
  });

  it('adds Claude with a key that never comes back, checks it, and removes it', async () => {
    const { provider } = await page['orchestrate:saveProvider']({ id: 'claude', kind: 'claude', endpoint: claude.url, apiKey: `  ${SECRET_KEY} ` });
    expect(provider).toMatchObject({ id: 'claude', kind: 'claude', hasKey: true, persisted: true, health: { status: 'ok' } });
    expect(provider.models.map((m) => m.id)).toEqual(['claude-test']);
    expect((await page['orchestrate:checkProvider']({ id: 'claude' })).health.status).toBe('ok');
    await expect.poll(() => pushes.some((p) => p.channel === 'status:aiProviders' && p.payload.providers.some((q) => q.id === 'claude'))).toBe(true);

    await page['orchestrate:removeProvider']({ id: 'claude' });
    expect((await page['orchestrate:aiProviders']({})).providers.map((p) => p.id)).toEqual(['ollama', 'embedded']);
    await expect(page['orchestrate:checkProvider']({ id: 'claude' })).rejects.toMatchObject({ code: 'UNKNOWN_PROVIDER' });
    expect(heard.join('\n')).not.toContain(SECRET_KEY);
  });

  it('says when a key is refused, and never repeats credentials from an endpoint', async () => {
    const { provider } = await page['orchestrate:saveProvider']({ id: 'claude-2', kind: 'claude', endpoint: claude.url, apiKey: 'sk-wrong' });
    expect(provider.health).toMatchObject({ status: 'unauthorized' });
    expect(JSON.stringify(provider)).not.toContain('sk-wrong');
    await page['orchestrate:removeProvider']({ id: 'claude-2' });

    const withCredentials = ollama.url.replace('http://', 'http://admin:hunter22@');
    const saved = await page['orchestrate:saveProvider']({ id: 'proxied', kind: 'ollama', endpoint: withCredentials });
    expect(saved.provider.endpoint).toBe(`${ollama.url}/`);
    expect(JSON.stringify(await page['orchestrate:aiProviders']({}))).not.toContain('hunter22');
    await page['orchestrate:removeProvider']({ id: 'proxied' });
    expect(heard.join('\n')).not.toContain('hunter22');
  });

  it('refuses to replace or remove the built-in provider, and a bad request before the host sees it', async () => {
    await expect(page['orchestrate:saveProvider']({ id: 'embedded', kind: 'ollama', endpoint: ollama.url })).rejects.toMatchObject({ code: 'BUILT_IN' });
    await expect(page['orchestrate:removeProvider']({ id: 'embedded' })).rejects.toMatchObject({ code: 'BUILT_IN' });
    await expect(page['orchestrate:saveProvider']({ id: 'x', kind: 'ollama', endpoint: 'file:///etc/passwd' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(page['orchestrate:saveProvider']({ id: '../x', kind: 'ollama' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('lists the tool servers with their tools, and changes a rule', async () => {
    const settings = await page['orchestrate:toolSettings']({});
    expect(settings.roots).toEqual([]);
    expect(settings.servers.map((s) => [s.id, s.running])).toEqual([
      ['filesystem', false],
      ['lama', true],
    ]);
    const lama = settings.servers[1]!;
    expect(lama.tools.map((t) => [t.name, t.readOnly, t.rule, t.decision])).toEqual([
      ['delete_file', false, null, 'ask'],
      ['search_messages', true, null, 'run'],
    ]);

    const allowed = await page['orchestrate:setToolRule']({ server: 'lama', tool: 'delete_file', rule: 'allow' });
    expect(allowed.servers[1]!.tools[0]).toMatchObject({ name: 'delete_file', rule: 'allow', decision: 'run' });
    expect(allowed.servers[1]!.rules).toEqual({ allow: ['delete_file'], ask: [], block: [] });
    const blockedAll = await page['orchestrate:setToolRule']({ server: 'lama', tool: '*', rule: 'block' });
    expect(blockedAll.servers[1]!.tools.map((t) => t.decision)).toEqual(['run', 'refuse']);
    // Rules for a server that is not running are kept and shown.
    const filesystem = await page['orchestrate:setToolRule']({ server: 'filesystem', tool: 'write_file', rule: 'block' });
    expect(filesystem.servers[0]!.rules.block).toEqual(['write_file']);
    await page['orchestrate:setToolRule']({ server: 'lama', tool: '*', rule: null });
    await page['orchestrate:setToolRule']({ server: 'lama', tool: 'delete_file', rule: null });
    const back = await page['orchestrate:toolSettings']({});
    expect(back.servers[1]!.tools.map((t) => t.decision)).toEqual(['ask', 'run']);
    expect(test.host.ai()!.tools.tools.policy.servers.lama).toBeUndefined();
  });

  it('counts the archive\'s objects and bytes per type', async () => {
    const { types } = await page['orchestrate:storeStats']({});
    const byType = Object.fromEntries(types.map((t) => [t.type, t]));
    expect(byType.Person?.objects).toBeGreaterThanOrEqual(2); // the user and the AI contact
    expect(byType.Keys?.bytes).toBeGreaterThan(0);
    expect(types.map((t) => t.type)).toEqual([...types.map((t) => t.type)].sort());
    const total = types.reduce((sum, t) => sum + t.objects, 0);
    expect(total).toBe(await test.host.store()!.adapter.lastSeq());
  });

  it('reports the worker pool: empty for a pool that is not the pool machine', async () => {
    expect(await page['orchestrate:workerPool']({})).toEqual({ kinds: [] });
  });
});

describe('poolPayload', () => {
  it('turns the pool machine\'s snapshot into the dashboard\'s rows', () => {
    const pool = {
      getSnapshot: () => ({
        context: {
          queues: { crypto: [], llm: [{ id: 1 }] },
          workers: {
            'crypto-1': { id: 'crypto-1', kind: 'crypto', state: 'ready', inFlight: 0, restarts: 0, lastError: undefined },
            'llm-1': { id: 'llm-1', kind: 'llm', state: 'restarting', inFlight: 0, restarts: 2, lastError: 'exit code 134' },
          },
        },
      }),
    } as unknown as AnyActorRef;
    expect(poolPayload(pool)).toEqual({
      kinds: [
        { kind: 'crypto', queued: 0, workers: [{ id: 'crypto-1', state: 'ready', inFlight: 0, restarts: 0 }] },
        { kind: 'llm', queued: 1, workers: [{ id: 'llm-1', state: 'restarting', inFlight: 0, restarts: 2, lastError: 'exit code 134' }] },
      ],
    });
    expect(poolPayload(undefined)).toEqual({ kinds: [] });
  });
});

describe('the embedded model in a host with a real worker pool', () => {
  it('is listed once the pool has started, which is after the first provisioning', async () => {
    const test = await startTestHost({ detectLocalProviders: false, workerPool: nodeWorkerPoolChild({ crypto: { ...defaultKinds().crypto, workers: 1 } }) });
    try {
      await test.host.provision({ name: 'Ada', passphrase: 'correct horse battery' });
      const page = await connectAsPage(test.host.url);
      try {
        await expect.poll(async () => (await page['orchestrate:aiProviders']({})).providers.map((p) => [p.id, p.kind, p.persisted]), { timeout: 10_000 }).toEqual([['embedded', 'embedded', false]]);
        // Its default model is an AI contact already, though its weights are not here: the first answer fetches them.
        await expect.poll(async () => (await test.host.ai()!.contacts.list()).map((c) => [c.llm.provider, c.llm.modelId]), { timeout: 10_000 }).toEqual([['embedded', DEFAULT_EMBEDDED_MODEL.id]]);
      } finally {
        await page.close();
      }
    } finally {
      await test.dispose();
    }
  }, 30_000);
});
