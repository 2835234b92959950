// Runs a TypeScript worker entry (node-worker-handle.node.ts uses it for `.ts` entries only).
// Node 20 does not apply `--import tsx` given in a worker_thread's execArgv to the worker's entry
// module (it fails with ERR_UNKNOWN_FILE_EXTENSION, under `npx tsx` and under vitest alike), so the
// worker registers tsx's loader itself, then imports the entry. Child processes use the same file
// so that both adapters start workers the same way. The entry arrives as workerData (thread) or
// argv[2] (process); this file sits beside node_modules so 'tsx' resolves from any cwd.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData?.entry ?? process.argv[2]);
