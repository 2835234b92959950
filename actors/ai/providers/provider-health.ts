import { isLlmError, type ProviderHealth } from '../llm-provider.ts';

/**
 * A health check never throws: the probe's LlmError becomes the status the UI shows. A timeout
 * counts as unreachable (something may hold the port, but nothing answers); anything else that is
 * not about the key is `error`.
 */
export async function probeHealth(probe: () => Promise<unknown>): Promise<ProviderHealth> {
  const started = performance.now();
  try {
    await probe();
    return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isLlmError(error, 'UNREACHABLE') || isLlmError(error, 'TIMEOUT')) return { status: 'unreachable', message };
    if (isLlmError(error, 'UNAUTHORIZED')) return { status: 'unauthorized', message };
    return { status: 'error', message };
  }
}

/** Health and model listing answer quickly or not at all; generation gets the configured timeout. */
export const PROBE_TIMEOUT_MS = 5_000;
/** Local servers may load a model for a while before the first token. */
export const LOCAL_TIMEOUT_MS = 120_000;
export const REMOTE_TIMEOUT_MS = 60_000;
