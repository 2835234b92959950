// Entry of a crypto worker (a worker_thread): bulk Ed25519 and AEAD over node:crypto.
import { platformCrypto } from '../../actors/crypto/platform.node.ts';
import { cryptoOps } from '../../actors/workers/crypto-ops.ts';
import { serveWorker } from '../../actors/workers/serve.ts';
import { workerPort } from '../../actors/workers/worker-port.node.ts';

serveWorker(workerPort(), 'crypto', cryptoOps(platformCrypto));
