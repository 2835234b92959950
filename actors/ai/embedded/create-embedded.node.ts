import type { WorkerPool } from '../../workers/pool-client.ts';
import type { PinnedModel } from './default-model.ts';
import { EmbeddedProvider } from './embedded-provider.ts';
import { ModelLibrary } from './model-library.node.ts';

/**
 * The embedded provider as the Node host builds it: models in `<dataDir>/models`, inference in the
 * pool's LLM worker. The host registers `provider` with LLMManager, calls `provider.warm()` once
 * the pool runs, and offers `library.pick(path)` for a GGUF file the user chooses.
 */
export function createEmbeddedProvider(options: { dataDir: string; pool: WorkerPool; pinned?: PinnedModel; fetch?: typeof fetch }): { provider: EmbeddedProvider; library: ModelLibrary } {
  const library = new ModelLibrary({ dataDir: options.dataDir, pinned: options.pinned, fetch: options.fetch });
  return { provider: new EmbeddedProvider({ models: library, pool: options.pool }), library };
}
