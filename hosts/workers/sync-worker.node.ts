// Entry of a sync worker (a worker_thread): hashing and diffing for CHUM.
import { platformCrypto } from '../../actors/crypto/platform.node.ts';
import { syncOps } from '../../actors/workers/sync-ops.ts';
import { serveWorker } from '../../actors/workers/serve.ts';
import { workerPort } from '../../actors/workers/worker-port.node.ts';

serveWorker(workerPort(), 'sync', syncOps(platformCrypto));
