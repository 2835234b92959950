import type { OpHandlers, WorkerOps } from './ops.ts';
import { record } from './protocol.ts';

/**
 * The LLM worker's ops for now: only what is real today — a liveness ping and facts about the
 * worker process. Inference (the embedded local model) is added by the AI issue; it will run in
 * this same child process, which is why the LLM worker is a process and not a thread
 * (specs/workers.md §5).
 */
export function llmOps(): OpHandlers<WorkerOps['llm']> {
  return {
    ping: (payload) => {
      const { nonce } = record(payload);
      return { nonce: Number(nonce) };
    },
    info: () => ({ pid: process.pid, node: process.version, rssBytes: process.memoryUsage.rss(), inference: false }),
  };
}
