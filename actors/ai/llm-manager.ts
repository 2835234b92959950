import { createActor, fromPromise, type Actor } from 'xstate';
import { DEFAULT_HEALTH_POLICY, llmProviderHealthMachine, type HealthPolicy, type HealthReport } from '../../machines/llm-provider-health.ts';
import type { ProviderConfigStore } from './llm-manager-store.ts';
import { isLlmError, LlmError, type CompletionChunk, type CompletionRequest, type LlmProvider, type ModelInfo, type ProviderConfig, type ProviderHealth, type ProviderKind } from './llm-provider.ts';
import { createRemoteProvider, isRemoteKind } from './providers/create-provider.ts';
import { LMSTUDIO_DEFAULT_ENDPOINT } from './providers/lmstudio-provider.ts';
import { OLLAMA_DEFAULT_ENDPOINT } from './providers/ollama-provider.ts';

/**
 * LLMManager (DESIGN.md §6, specs/llm-providers.md §6): the providers configured on this device,
 * each with its models and its health; models from all of them in one list; a completion routed
 * to the provider a model reference names. Each provider's health is its own actor
 * (machines/llm-provider-health.ts): checked when added, on demand, every minute while healthy,
 * with backoff while unreachable; every healthy check also refreshes the provider's models.
 *
 * Configurations persist through a ProviderConfigStore (API keys sealed there); a provider built
 * elsewhere — the embedded model — is `register`ed and lives only as long as this manager.
 */

/** `<providerId>/<model id>`: a provider id has no '/', a model id may (LM Studio's do). */
export type ModelRef = string;

export function modelRef(providerId: string, modelId: string): ModelRef {
  return `${providerId}/${modelId}`;
}

export function parseModelRef(ref: ModelRef): { providerId: string; modelId: string } | undefined {
  const slash = ref.indexOf('/');
  if (slash <= 0 || slash === ref.length - 1) return undefined;
  return { providerId: ref.slice(0, slash), modelId: ref.slice(slash + 1) };
}

/** What the UI and the AI listener see of a provider: never its key, only whether it has one. */
export interface ProviderEntry {
  readonly id: string;
  readonly kind: ProviderKind;
  readonly endpoint: string | undefined;
  readonly hasKey: boolean;
  /** Saved in the store (a configured provider), or registered for this run (the embedded model). */
  readonly persisted: boolean;
  /** Undefined until the first check answers. */
  readonly health: ProviderHealth | undefined;
  readonly checkedAt: number | undefined;
  /** As of the last healthy check. */
  readonly models: readonly ModelInfo[];
}

export interface ModelListing {
  readonly ref: ModelRef;
  readonly providerId: string;
  readonly providerKind: ProviderKind;
  readonly model: ModelInfo;
  /** The provider's last check was healthy. */
  readonly available: boolean;
}

export type LlmManagerErrorCode =
  | 'INVALID_CONFIG' // an id, kind, endpoint or timeout that cannot be used
  | 'UNKNOWN_PROVIDER' // no provider has this id
  | 'CLOSED'; // the manager was closed

export class LlmManagerError extends Error {
  override readonly name = 'LlmManagerError';
  constructor(
    readonly code: LlmManagerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Where local servers listen by default. */
export const LOCAL_ENDPOINTS = { ollama: OLLAMA_DEFAULT_ENDPOINT, lmstudio: LMSTUDIO_DEFAULT_ENDPOINT } as const;
/** Detection must not hold up start-up: a local server answers in milliseconds or is not there. */
export const DETECT_TIMEOUT_MS = 800;

export interface LlmManagerOptions {
  /** Where configurations persist; without one, nothing does. */
  readonly store?: ProviderConfigStore;
  /** Makes a provider from a configuration (tests and hosts may wrap it). */
  readonly createProvider?: (config: ProviderConfig) => LlmProvider;
  readonly healthPolicy?: HealthPolicy;
  /** Where `detectLocalProviders` looks. */
  readonly localEndpoints?: { readonly ollama: string; readonly lmstudio: string };
  readonly detectTimeoutMs?: number;
}

interface Slot {
  readonly config: ProviderConfig | undefined;
  readonly provider: LlmProvider;
  readonly actor: Actor<typeof llmProviderHealthMachine>;
  health: ProviderHealth | undefined;
  checkedAt: number | undefined;
  models: readonly ModelInfo[];
}

const PROVIDER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class LlmManager {
  readonly #slots = new Map<string, Slot>();
  readonly #listeners = new Set<() => void>();
  readonly #options: LlmManagerOptions;
  readonly #createProvider: (config: ProviderConfig) => LlmProvider;
  /** The list as last saved, and the write under way. */
  #saved: ProviderConfig[] = [];
  #saving: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(options: LlmManagerOptions) {
    this.#options = options;
    this.#createProvider = options.createProvider ?? createRemoteProvider;
  }

  /** A manager with the stored providers, each being checked. */
  static async open(options: LlmManagerOptions = {}): Promise<LlmManager> {
    const manager = new LlmManager(options);
    manager.#saved = (await options.store?.load()) ?? [];
    for (const config of manager.#saved) void manager.#start(config, manager.#createProvider(config));
    return manager;
  }

  providers(): ProviderEntry[] {
    return [...this.#slots.keys()].map((id) => this.provider(id)!);
  }

  provider(id: string): ProviderEntry | undefined {
    const slot = this.#slots.get(id);
    if (!slot) return undefined;
    return {
      id,
      kind: slot.provider.kind,
      endpoint: slot.config?.endpoint,
      hasKey: Boolean(slot.config?.apiKey),
      persisted: slot.config !== undefined,
      health: slot.health,
      checkedAt: slot.checkedAt,
      models: slot.models,
    };
  }

  /** Every model of every provider, those of providers that are down marked unavailable. */
  models(): ModelListing[] {
    return [...this.#slots.entries()].flatMap(([providerId, slot]) =>
      slot.models.map((model) => ({ ref: modelRef(providerId, model.id), providerId, providerKind: slot.provider.kind, model, available: slot.health?.status === 'ok' })),
    );
  }

  /**
   * Adds a provider, or replaces the one with the same id (a new key, a new endpoint); saves the
   * list, then waits for the first health check, whose answer the entry carries.
   */
  async save(config: ProviderConfig): Promise<ProviderEntry> {
    this.#assertOpen();
    const clean = validConfig(config);
    const provider = this.#createProvider(clean);
    // Saved first: if the write fails, nothing has changed.
    await this.#persist((saved) => {
      const at = saved.findIndex((other) => other.id === clean.id);
      return at === -1 ? [...saved, clean] : saved.with(at, clean);
    });
    await this.#start(clean, provider);
    return this.#entryAfterStart(clean.id);
  }

  /** Adds a provider built elsewhere (the embedded model): checked like the others, never saved. */
  async register(provider: LlmProvider): Promise<ProviderEntry> {
    this.#assertOpen();
    if (!PROVIDER_ID.test(provider.id)) throw new LlmManagerError('INVALID_CONFIG', `provider id ${JSON.stringify(provider.id)} must be 1–64 letters, digits, '.', '_' or '-'`);
    if (this.#slots.get(provider.id)?.config) await this.#persist((saved) => saved.filter((config) => config.id !== provider.id));
    await this.#start(undefined, provider);
    return this.#entryAfterStart(provider.id);
  }

  async remove(id: string): Promise<void> {
    const slot = this.#slot(id);
    if (slot.config) await this.#persist((saved) => saved.filter((config) => config.id !== id));
    if (this.#slots.get(id) !== slot) return;
    this.#slots.delete(id);
    await this.#stop(slot);
    this.#changed();
  }

  /** Checks now and returns the answer (a check already under way answers instead). */
  checkHealth(id: string): Promise<ProviderHealth> {
    const slot = this.#slot(id);
    const next = this.#nextCheck(slot);
    slot.actor.send({ type: 'health.check' });
    return next;
  }

  /**
   * Streams the answer of the model `ref` names. A provider that is not configured is a
   * MODEL_MISSING (the caller handles one kind of error from a stream); a model the provider's
   * last list lacked is still asked for, as it may have been installed since.
   */
  async *complete(ref: ModelRef, request: Omit<CompletionRequest, 'model'>): AsyncGenerator<CompletionChunk> {
    const parsed = parseModelRef(ref);
    if (!parsed) throw new LlmError('MODEL_MISSING', `${JSON.stringify(ref)} is not a model reference (provider/model)`);
    const slot = this.#slots.get(parsed.providerId);
    if (!slot || this.#closed) throw new LlmError('MODEL_MISSING', `no provider ${JSON.stringify(parsed.providerId)} is configured`);
    yield* slot.provider.complete({ ...request, model: parsed.modelId });
  }

  /**
   * Looks for Ollama and LM Studio on their usual local ports, briefly, and adds each one found
   * that is not configured yet. Returns the local providers there are, found now or before.
   */
  async detectLocalProviders(): Promise<ProviderEntry[]> {
    this.#assertOpen();
    const endpoints = this.#options.localEndpoints ?? LOCAL_ENDPOINTS;
    const timeoutMs = this.#options.detectTimeoutMs ?? DETECT_TIMEOUT_MS;
    const found = await Promise.all(
      (['ollama', 'lmstudio'] as const).map(async (kind) => {
        const endpoint = endpoints[kind];
        const known = [...this.#slots.values()].find((slot) => slot.config?.kind === kind && sameEndpoint(slot.config.endpoint ?? LOCAL_ENDPOINTS[kind], endpoint));
        if (known) return this.provider(known.provider.id);
        const health = await this.#createProvider({ id: `detect-${kind}`, kind, endpoint, timeoutMs }).health();
        // Unauthorized is still a server: listed, so the user can give it a key.
        if (health.status !== 'ok' && health.status !== 'unauthorized') return undefined;
        return this.save({ id: this.#freeId(kind), kind, endpoint });
      }),
    );
    return found.filter((entry) => entry !== undefined);
  }

  /** Calls `listener` after any change: a provider added or removed, a health check answered. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const slots = [...this.#slots.values()];
    this.#slots.clear();
    await Promise.all(slots.map((slot) => this.#stop(slot)));
    await this.#saving;
  }

  /** Starts (or restarts) a slot; resolves with its first check. */
  #start(config: ProviderConfig | undefined, provider: LlmProvider): Promise<ProviderHealth> {
    const previous = this.#slots.get(provider.id);
    if (previous) void this.#stop(previous);
    const probe = fromPromise<HealthReport, { providerId: string }>(({ signal }) => this.#probe(slot, signal));
    const actor = createActor(llmProviderHealthMachine.provide({ actors: { probe } }), { input: { providerId: provider.id, policy: this.#options.healthPolicy ?? DEFAULT_HEALTH_POLICY } });
    const slot: Slot = { config, provider, actor, health: undefined, checkedAt: undefined, models: [] };
    this.#slots.set(provider.id, slot);
    actor.on('health.checked', ({ report }) => {
      slot.health = report;
      slot.checkedAt = Date.now();
      this.#changed();
    });
    const first = this.#nextCheck(slot);
    actor.start();
    this.#changed();
    return first;
  }

  /** The entry once its first check answered; it may have been removed, or the manager closed, meanwhile. */
  #entryAfterStart(id: string): ProviderEntry {
    const entry = this.provider(id);
    if (entry) return entry;
    throw this.#closed ? new LlmManagerError('CLOSED', 'the LLM manager was closed') : new LlmManagerError('UNKNOWN_PROVIDER', `provider ${JSON.stringify(id)} was removed`);
  }

  /** Health, then — when healthy — the model list; a list that fails makes the check fail. */
  async #probe(slot: Slot, signal: AbortSignal): Promise<HealthReport> {
    const health = await slot.provider.health(signal);
    if (health.status !== 'ok') return health;
    try {
      slot.models = await slot.provider.listModels(signal);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (isLlmError(error, 'UNREACHABLE') || isLlmError(error, 'TIMEOUT')) return { status: 'unreachable', message };
      return { status: isLlmError(error, 'UNAUTHORIZED') ? 'unauthorized' : 'error', message };
    }
    return health;
  }

  /** The next check's answer; if the provider is removed or replaced first, an error report saying so. */
  #nextCheck(slot: Slot): Promise<ProviderHealth> {
    return new Promise((resolve) => {
      const done = (report: ProviderHealth) => {
        checked.unsubscribe();
        stopped.unsubscribe();
        resolve(report);
      };
      const checked = slot.actor.on('health.checked', ({ report }) => done(report));
      const stopped = slot.actor.subscribe({ complete: () => done({ status: 'error', message: `provider ${slot.provider.id} was removed before its check answered` }) });
    });
  }

  async #stop(slot: Slot): Promise<void> {
    slot.actor.stop();
    await slot.provider.close?.();
  }

  /** Writes one change to the saved list, after the writes before it, so concurrent saves all count. */
  #persist(change: (saved: readonly ProviderConfig[]) => ProviderConfig[]): Promise<void> {
    const write = this.#saving.then(async () => {
      const next = change(this.#saved);
      await this.#options.store?.saveAll(next);
      this.#saved = next;
    });
    // A failed write is reported to its caller, and does not block the writes after it.
    this.#saving = write.catch(() => undefined);
    return write;
  }

  #slot(id: string): Slot {
    this.#assertOpen();
    const slot = this.#slots.get(id);
    if (!slot) throw new LlmManagerError('UNKNOWN_PROVIDER', `no provider ${JSON.stringify(id)} is configured`);
    return slot;
  }

  #freeId(kind: string): string {
    let id = kind;
    for (let n = 2; this.#slots.has(id); n++) id = `${kind}-${n}`;
    return id;
  }

  #assertOpen(): void {
    if (this.#closed) throw new LlmManagerError('CLOSED', 'the LLM manager is closed');
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}

function validConfig(config: ProviderConfig): ProviderConfig {
  const fail = (why: string): never => {
    throw new LlmManagerError('INVALID_CONFIG', why);
  };
  if (!PROVIDER_ID.test(config.id)) fail(`provider id ${JSON.stringify(config.id)} must be 1–64 letters, digits, '.', '_' or '-'`);
  if (!isRemoteKind(config.kind)) fail(`a ${String(config.kind)} provider cannot be made from a configuration`);
  if (config.endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(config.endpoint);
    } catch {
      // reported below
    }
    // The endpoint is not repeated here: it may carry credentials.
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) fail(`the endpoint of provider ${config.id} is not an http(s) URL`);
  }
  if (config.timeoutMs !== undefined && !(Number.isInteger(config.timeoutMs) && config.timeoutMs > 0)) fail(`the timeout of provider ${config.id} must be a positive whole number of milliseconds`);
  if (config.apiKey !== undefined && config.apiKey.trim() !== config.apiKey) fail(`the API key of provider ${config.id} has spaces around it`);
  // Only known fields are kept (and stored).
  return {
    id: config.id,
    kind: config.kind,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
  };
}

function sameEndpoint(a: string, b: string): boolean {
  const normalize = (url: string) => url.replace(/\/+$/, '').replace(/\/v1$/, '').replace('://localhost', '://127.0.0.1');
  return normalize(a) === normalize(b);
}
