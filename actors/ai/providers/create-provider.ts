import type { LlmProvider, ProviderConfig } from '../llm-provider.ts';
import { ClaudeProvider } from './claude-provider.ts';
import { LmStudioProvider } from './lmstudio-provider.ts';
import { OllamaProvider } from './ollama-provider.ts';

/**
 * The providers made from a stored configuration. The embedded model is not among them: it is an
 * object its host builds (weights, a worker process) and registers with LLMManager directly.
 */
export type RemoteProviderKind = 'ollama' | 'lmstudio' | 'claude';

export function isRemoteKind(kind: string): kind is RemoteProviderKind {
  return kind === 'ollama' || kind === 'lmstudio' || kind === 'claude';
}

export function createRemoteProvider(config: ProviderConfig): LlmProvider {
  switch (config.kind) {
    case 'ollama':
      return new OllamaProvider(config);
    case 'lmstudio':
      return new LmStudioProvider(config);
    case 'claude':
      return new ClaudeProvider(config);
    case 'embedded':
      throw new TypeError('the embedded provider is built by its host and registered with LlmManager.register, not made from a configuration');
  }
}
