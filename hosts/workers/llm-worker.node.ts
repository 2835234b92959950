// Entry of the LLM worker: a child process, so that llama.cpp aborting on a malformed model takes
// only this process down (specs/workers.md §5). It serves the embedded model (actors/ai/embedded).
import { llmOps } from '../../actors/workers/llm-ops.node.ts';
import { serveWorker } from '../../actors/workers/serve.ts';
import { workerPort } from '../../actors/workers/worker-port.node.ts';

serveWorker(workerPort(), 'llm', llmOps());
