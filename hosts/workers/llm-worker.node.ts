// Entry of the LLM worker (a child process, for isolation: specs/workers.md §5). Today it answers
// ping and info only; the AI issue adds inference here.
import { llmOps } from '../../actors/workers/llm-ops.node.ts';
import { serveWorker } from '../../actors/workers/serve.ts';
import { workerPort } from '../../actors/workers/worker-port.node.ts';

serveWorker(workerPort(), 'llm', llmOps());
