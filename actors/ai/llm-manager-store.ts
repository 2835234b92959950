import type { SealedSecrets } from '../identity/sealed-secrets.ts';
import type { StorageAdapter } from '../store/storage-adapter.ts';
import type { ProviderConfig, ProviderKind } from './llm-provider.ts';

/**
 * Where LLMManager keeps provider configurations (specs/llm-providers.md §7): a small interface,
 * so the manager runs with no store at all (nothing persists) or with the sealed one below.
 */
export interface ProviderConfigStore {
  load(): Promise<ProviderConfig[]>;
  /** Replaces the whole list: one atomic write, never a half-saved key. */
  saveAll(configs: readonly ProviderConfig[]): Promise<void>;
}

export class ProviderStoreError extends Error {
  override readonly name = 'ProviderStoreError';
}

/** The secret-table name the list is sealed under. */
export const PROVIDERS_SECRET = 'ai/llm-providers';
const KINDS: readonly ProviderKind[] = ['ollama', 'lmstudio', 'claude', 'embedded'];

/**
 * The configurations, API keys included, as one JSON document sealed with the identity's sealed
 * secrets in the store's local-secret table: never synced, never on disk in the clear, opened
 * only with the unlocked identity.
 */
export class SealedProviderStore implements ProviderConfigStore {
  constructor(
    private readonly adapter: StorageAdapter,
    private readonly secrets: SealedSecrets,
  ) {}

  async load(): Promise<ProviderConfig[]> {
    const text = await this.secrets.read(this.adapter, PROVIDERS_SECRET);
    if (text === undefined) return [];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ProviderStoreError('the stored LLM provider list is not JSON');
    }
    if (!Array.isArray(value) || !value.every(isConfig)) throw new ProviderStoreError('the stored LLM provider list is malformed');
    return value;
  }

  async saveAll(configs: readonly ProviderConfig[]): Promise<void> {
    await this.adapter.write({ secrets: [this.secrets.entry(PROVIDERS_SECRET, JSON.stringify(configs))] });
  }
}

function isConfig(value: unknown): value is ProviderConfig {
  if (typeof value !== 'object' || value === null) return false;
  const config = value as Record<string, unknown>;
  return (
    typeof config.id === 'string' &&
    KINDS.includes(config.kind as ProviderKind) &&
    (config.endpoint === undefined || typeof config.endpoint === 'string') &&
    (config.apiKey === undefined || typeof config.apiKey === 'string') &&
    (config.timeoutMs === undefined || typeof config.timeoutMs === 'number')
  );
}
