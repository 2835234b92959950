import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicStandIn } from '../../tests/support/stand-ins/anthropic-stand-in.node.ts';
import { OllamaStandIn } from '../../tests/support/stand-ins/ollama-stand-in.node.ts';
import { OpenAiStandIn } from '../../tests/support/stand-ins/openai-stand-in.node.ts';
import { platformCrypto } from '../crypto/platform.node.ts';
import { createIdentity, openIdentity } from '../identity/identity.ts';
import { identityStore, TEST_KDF } from '../identity/identity-test-kit.ts';
import { SealedSecrets } from '../identity/sealed-secrets.ts';
import { MemoryStorage } from '../store/memory-storage.ts';
import { SqliteStorage } from '../store/sqlite-storage.node.ts';
import { LlmManager, LlmManagerError, parseModelRef, type LlmManagerOptions } from './llm-manager.ts';
import { SealedProviderStore, type ProviderConfigStore } from './llm-manager-store.ts';
import { LlmError, type LlmProvider, type ProviderConfig } from './llm-provider.ts';
import { closedPort, run, texts } from './providers/provider-contract-tests.node.ts';

const FAST = { recheckMs: 60_000, backoffBaseMs: 50, backoffMaxMs: 200 };
const CLAUDE_KEY = 'sk-ant-LAMA-keyscan-9f8e7d6c5b4a';
const IDENTITY = { name: 'Ada', instanceName: 'node archive', passphrase: 'pass phrase', kdf: TEST_KDF };

/** A store that remembers every list it was given. */
class RecordingStore implements ProviderConfigStore {
  saved: ProviderConfig[][] = [];
  failNext = false;
  async load(): Promise<ProviderConfig[]> {
    return this.saved.at(-1) ?? [];
  }
  async saveAll(configs: readonly ProviderConfig[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.saved.push([...configs]);
  }
}

/** An in-process provider, as the embedded model will be. */
function fakeEmbedded(id = 'embedded'): LlmProvider {
  return {
    id,
    kind: 'embedded',
    listModels: async () => [{ id: 'qwen3-0.6b.gguf', name: 'Qwen3 0.6B', contextLength: 4096, capabilities: { tools: false } }],
    health: async () => ({ status: 'ok', latencyMs: 0 }),
    async *complete(request) {
      yield { type: 'text', text: `embedded ${request.model}` };
      yield { type: 'done', stopReason: 'end' };
    },
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('LlmManager', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function standIns() {
    const ollama = await OllamaStandIn.start({ models: [{ id: 'llama3.2:1b', tools: true, contextLength: 8192 }] });
    const lmstudio = await OpenAiStandIn.start({ models: [{ id: 'lmstudio-community/gemma-3-4b-it' }] });
    const claude = await AnthropicStandIn.start({ apiKey: CLAUDE_KEY, models: [{ id: 'claude-sonnet-4-6', displayName: 'Claude Sonnet 4.6', contextLength: 200_000 }] });
    cleanup.push(() => Promise.all([ollama.close(), lmstudio.close(), claude.close()]).then(() => undefined));
    return { ollama, lmstudio, claude };
  }

  async function open(options: LlmManagerOptions = {}): Promise<LlmManager> {
    const manager = await LlmManager.open({ healthPolicy: FAST, ...options });
    cleanup.push(() => manager.close());
    return manager;
  }

  it('holds several providers, checks each when added, lists all their models and routes each completion to its own', async () => {
    const s = await standIns();
    const manager = await open();
    const ollama = await manager.save({ id: 'ollama', kind: 'ollama', endpoint: s.ollama.url });
    expect(ollama).toMatchObject({ id: 'ollama', kind: 'ollama', hasKey: false, persisted: true, health: { status: 'ok' } });
    await manager.save({ id: 'lms', kind: 'lmstudio', endpoint: s.lmstudio.url });
    await manager.save({ id: 'claude', kind: 'claude', endpoint: s.claude.url, apiKey: CLAUDE_KEY });
    await manager.register(fakeEmbedded());

    expect(manager.models().map(({ ref, available }) => ({ ref, available }))).toEqual([
      { ref: 'ollama/llama3.2:1b', available: true },
      { ref: 'lms/lmstudio-community/gemma-3-4b-it', available: true },
      { ref: 'claude/claude-sonnet-4-6', available: true },
      { ref: 'embedded/qwen3-0.6b.gguf', available: true },
    ]);
    expect(manager.provider('claude')).toMatchObject({ hasKey: true, models: [{ name: 'Claude Sonnet 4.6', contextLength: 200_000 }] });
    expect(JSON.stringify(manager.providers())).not.toContain(CLAUDE_KEY);

    s.lmstudio.reply({ text: ['from ', 'LM Studio'] });
    s.claude.reply({ text: ['from ', 'Claude'] });
    expect(texts((await run(manager.complete('lms/lmstudio-community/gemma-3-4b-it', { messages: [{ role: 'user', content: 'Hi' }] }))).chunks)).toEqual(['from ', 'LM Studio']);
    expect(texts((await run(manager.complete('claude/claude-sonnet-4-6', { messages: [{ role: 'user', content: 'Hi' }] }))).chunks)).toEqual(['from ', 'Claude']);
    expect(texts((await run(manager.complete('embedded/qwen3-0.6b.gguf', { messages: [] }))).chunks)).toEqual(['embedded qwen3-0.6b.gguf']);
    expect(s.lmstudio.chats.map((chat) => (chat.body as { model: string }).model)).toEqual(['lmstudio-community/gemma-3-4b-it']);
    expect(s.claude.chats.map((chat) => (chat.body as { model: string }).model)).toEqual(['claude-sonnet-4-6']);
    expect(s.ollama.chats).toHaveLength(0);
  });

  it('answers a reference to no configured provider, or no reference at all, with MODEL_MISSING', async () => {
    const manager = await open();
    for (const ref of ['nobody/llama3', 'no-slash', '/model', 'provider/']) {
      const { error } = await run(manager.complete(ref, { messages: [] }));
      expect(error).toBeInstanceOf(LlmError);
      expect((error as LlmError).code).toBe('MODEL_MISSING');
    }
    expect(parseModelRef('lms/org/model:q4')).toEqual({ providerId: 'lms', modelId: 'org/model:q4' });
  });

  it('refuses a configuration it cannot use with INVALID_CONFIG, saving nothing', async () => {
    const store = new RecordingStore();
    const manager = await open({ store });
    const bad: ProviderConfig[] = [
      { id: 'has/slash', kind: 'ollama' },
      { id: '', kind: 'ollama' },
      { id: 'x', kind: 'embedded' },
      { id: 'x', kind: 'mystery' as 'ollama' },
      { id: 'x', kind: 'ollama', endpoint: 'ftp://127.0.0.1:11434' },
      { id: 'x', kind: 'ollama', endpoint: 'not a url' },
      { id: 'x', kind: 'ollama', timeoutMs: -5 },
      { id: 'x', kind: 'claude', apiKey: ' sk-with-space ' },
    ];
    for (const config of bad) await expect(manager.save(config)).rejects.toMatchObject({ name: 'LlmManagerError', code: 'INVALID_CONFIG' });
    expect(store.saved).toEqual([]);
    expect(manager.providers()).toEqual([]);
    await expect(manager.register(fakeEmbedded('bad id'))).rejects.toBeInstanceOf(LlmManagerError);
  });

  it('adds nothing when the store cannot save, and keeps the list whole across concurrent saves', async () => {
    const s = await standIns();
    const store = new RecordingStore();
    const manager = await open({ store });
    store.failNext = true;
    await expect(manager.save({ id: 'ollama', kind: 'ollama', endpoint: s.ollama.url })).rejects.toThrow('disk full');
    expect(manager.providers()).toEqual([]);
    await Promise.all([manager.save({ id: 'a', kind: 'ollama', endpoint: s.ollama.url }), manager.save({ id: 'b', kind: 'lmstudio', endpoint: s.lmstudio.url })]);
    expect(store.saved.at(-1)?.map((config) => config.id)).toEqual(['a', 'b']);
    await manager.remove('a');
    expect(store.saved.at(-1)?.map((config) => config.id)).toEqual(['b']);
    expect(manager.models().map((model) => model.ref)).toEqual(['b/lmstudio-community/gemma-3-4b-it']);
    await expect(manager.remove('a')).rejects.toMatchObject({ code: 'UNKNOWN_PROVIDER' });
  });

  it('registers a provider for this run only, never in the store', async () => {
    const store = new RecordingStore();
    const manager = await open({ store });
    await manager.register(fakeEmbedded());
    expect(manager.provider('embedded')).toMatchObject({ persisted: false, health: { status: 'ok' } });
    expect(store.saved).toEqual([]);
  });

  it('marks a provider unreachable when it goes away, and finds it again by itself when it comes back', async () => {
    const s = await standIns();
    const manager = await open();
    await manager.save({ id: 'ollama', kind: 'ollama', endpoint: s.ollama.url });
    const port = s.ollama.port;
    await s.ollama.close();
    expect(await manager.checkHealth('ollama')).toMatchObject({ status: 'unreachable' });
    expect(manager.models()).toEqual([expect.objectContaining({ ref: 'ollama/llama3.2:1b', available: false })]);

    const back = await OllamaStandIn.start({ port, models: [{ id: 'llama3.2:1b' }, { id: 'qwen3:4b' }] });
    cleanup.push(() => back.close());
    const changed = new Promise<void>((resolve) => {
      const unsubscribe = manager.subscribe(() => {
        if (manager.provider('ollama')?.health?.status === 'ok') {
          unsubscribe();
          resolve();
        }
      });
    });
    await changed;
    expect(manager.models().map((model) => [model.ref, model.available])).toEqual([
      ['ollama/llama3.2:1b', true],
      ['ollama/qwen3:4b', true],
    ]);
  });

  it('reports a refused key as unauthorized, and stays so until the key is replaced', async () => {
    const s = await standIns();
    const manager = await open();
    expect(await manager.save({ id: 'claude', kind: 'claude', endpoint: s.claude.url, apiKey: 'sk-ant-wrong' })).toMatchObject({ health: { status: 'unauthorized' }, models: [] });
    const requests = s.claude.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.claude.requests.length).toBe(requests);
    expect(await manager.save({ id: 'claude', kind: 'claude', endpoint: s.claude.url, apiKey: CLAUDE_KEY })).toMatchObject({ health: { status: 'ok' } });
    expect(manager.providers()).toHaveLength(1);
  });

  it('detects Ollama and LM Studio where they listen, adds them once, and gives up quickly on a silent port', async () => {
    const s = await standIns();
    const silent = await OpenAiStandIn.start();
    cleanup.push(() => silent.close());
    silent.fail({ stall: true }, 5);
    const manager = await open({ localEndpoints: { ollama: s.ollama.url, lmstudio: `${silent.url}/v1` }, detectTimeoutMs: 200 });
    const started = Date.now();
    expect((await manager.detectLocalProviders()).map((entry) => [entry.id, entry.kind, entry.health?.status])).toEqual([['ollama', 'ollama', 'ok']]);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect((await manager.detectLocalProviders()).map((entry) => entry.id)).toEqual(['ollama']);
    expect(manager.providers().map((entry) => entry.id)).toEqual(['ollama']);

    const both = await open({ localEndpoints: { ollama: `http://127.0.0.1:${await closedPort()}`, lmstudio: s.lmstudio.url } });
    expect((await both.detectLocalProviders()).map((entry) => [entry.id, entry.endpoint])).toEqual([['lmstudio', s.lmstudio.url]]);
  });

  it('stops checking when closed, and refuses to work after', async () => {
    const s = await standIns();
    const manager = await LlmManager.open({ healthPolicy: { recheckMs: 50, backoffBaseMs: 50, backoffMaxMs: 50 } });
    await manager.save({ id: 'ollama', kind: 'ollama', endpoint: s.ollama.url });
    await manager.close();
    const seen = s.ollama.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(s.ollama.requests.length).toBe(seen);
    await expect(manager.save({ id: 'x', kind: 'ollama' })).rejects.toMatchObject({ code: 'CLOSED' });
    expect((await run(manager.complete('ollama/llama3.2:1b', { messages: [] }))).error).toMatchObject({ code: 'MODEL_MISSING' });
  });

  it('settles a save whose first check is still running when the manager closes', async () => {
    const silent = await OllamaStandIn.start();
    cleanup.push(() => silent.close());
    silent.fail({ stall: true });
    const manager = await LlmManager.open({ healthPolicy: FAST });
    const saving = manager.save({ id: 'slow', kind: 'ollama', endpoint: silent.url });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await manager.close();
    await expect(saving).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('keeps API keys sealed: the key is nowhere in the SQLite files, and works again after a restart', async () => {
    const s = await standIns();
    const dir = mkdtempSync(join(tmpdir(), 'lama-llm-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = identityStore(platformCrypto, await SqliteStorage.open(dir));
    const identity = await createIdentity(store, platformCrypto, IDENTITY);
    const manager = await LlmManager.open({ healthPolicy: FAST, store: new SealedProviderStore(store.adapter, SealedSecrets.forIdentity(platformCrypto, identity)) });
    await manager.save({ id: 'claude', kind: 'claude', endpoint: s.claude.url, apiKey: CLAUDE_KEY });
    await manager.save({ id: 'ollama', kind: 'ollama', endpoint: s.ollama.url });
    await manager.close();
    await store.close();

    const files = filesUnder(dir).map((file) => readFileSync(file));
    expect(files.length).toBeGreaterThan(0);
    for (const encoding of ['utf8', 'utf16le'] as const) {
      const needle = Buffer.from(CLAUDE_KEY, encoding);
      expect(files.filter((bytes) => bytes.includes(needle))).toHaveLength(0);
    }
    // The endpoints are sealed too.
    expect(files.filter((bytes) => bytes.includes(Buffer.from(s.claude.url)))).toHaveLength(0);

    const reopened = identityStore(platformCrypto, await SqliteStorage.open(dir));
    cleanup.push(() => reopened.close());
    const unlocked = await openIdentity(reopened, platformCrypto, IDENTITY.passphrase);
    const again = await open({ store: new SealedProviderStore(reopened.adapter, SealedSecrets.forIdentity(platformCrypto, unlocked)) });
    expect(again.providers().map((entry) => [entry.id, entry.hasKey])).toEqual([
      ['claude', true],
      ['ollama', false],
    ]);
    s.claude.reply({ text: ['still ', 'keyed'] });
    const { chunks, error } = await run(again.complete('claude/claude-sonnet-4-6', { messages: [{ role: 'user', content: 'Hi' }] }));
    expect(error).toBeUndefined();
    expect(texts(chunks)).toEqual(['still ', 'keyed']);
  });

  it('cannot open the saved list under another identity', async () => {
    const adapter = new MemoryStorage();
    const mine = await createIdentity(identityStore(platformCrypto, adapter), platformCrypto, IDENTITY);
    await new SealedProviderStore(adapter, SealedSecrets.forIdentity(platformCrypto, mine)).saveAll([{ id: 'claude', kind: 'claude', apiKey: CLAUDE_KEY }]);
    const other = await createIdentity(identityStore(platformCrypto), platformCrypto, IDENTITY);
    await expect(LlmManager.open({ store: new SealedProviderStore(adapter, SealedSecrets.forIdentity(platformCrypto, other)) })).rejects.toMatchObject({ code: 'CORRUPT_SECRET' });
  });
});
