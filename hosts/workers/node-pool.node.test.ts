import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, setup, waitFor } from 'xstate';
import { platformCrypto } from '../../actors/crypto/platform.node.ts';
import { workerOps } from '../../actors/workers/ops.ts';
import { WorkerPool } from '../../actors/workers/pool-client.ts';
import { isWorkerError } from '../../actors/workers/worker-error.ts';
import { SYSTEM_ID } from '../../machines/system-ids.ts';
import { defaultKinds, nodeWorkerPoolChild, startNodeWorkerPool } from './node-pool.node.ts';

// The Node host's pool as the app will start it: each kind from its real entry (.ts files, through
// the tsx bootstrap), under vitest here and under a plain `tsx` process below.

const root = fileURLToPath(new URL('../..', import.meta.url));
let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('startNodeWorkerPool', () => {
  it('runs an op of every kind on its own worker, and shows them ready', async () => {
    const kinds = defaultKinds();
    pool = startNodeWorkerPool({ crypto: { ...kinds.crypto, workers: 1 }, sync: kinds.sync, llm: kinds.llm });
    const secretKey = platformCrypto.ed25519.generateSecretKey();
    const message = new Uint8Array(64);
    const [signature, hashes, info] = await Promise.all([
      pool.run('crypto', { op: 'sign', payload: { secretKey, message } }),
      pool.run('sync', { op: 'hashBatch', payload: { items: [message] } }),
      pool.run('llm', { op: 'info', payload: {} }),
    ]);
    expect(platformCrypto.ed25519.verify(platformCrypto.ed25519.publicKey(secretKey), message, signature)).toBe(true);
    expect(hashes).toEqual([platformCrypto.sha256Hex(message)]);
    expect(info.pid).not.toBe(process.pid); // the LLM worker is a process of its own
    const states = Object.values(pool.status().kinds).flatMap((k) => k.workers.map((w) => w.state));
    expect(states).toEqual(Array(states.length).fill('ready'));
  });

  it('starts its .ts workers from a plain tsx process too, and lets it exit after close()', async () => {
    const script = `import('./hosts/workers/node-pool.node.ts').then(async ({ startNodeWorkerPool }) => {
      const pool = startNodeWorkerPool();
      const hashes = await pool.run('sync', { op: 'hashBatch', payload: { items: [new Uint8Array(1)] } });
      const info = await pool.run('llm', { op: 'info', payload: {} });
      console.log(JSON.stringify({ hashes, inference: info.inference, loaded: info.loaded }));
      await pool.close();
    })`;
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [tsx, '-e', script], { cwd: root, timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual({ hashes: [platformCrypto.sha256Hex(new Uint8Array(1))], inference: true, loaded: null });
  });

  it('runs as a child the app invokes with its input, reached by systemId, and ends with its parent', async () => {
    const kinds = defaultKinds();
    const pool = nodeWorkerPoolChild({ crypto: { ...kinds.crypto, workers: 1 }, sync: kinds.sync });
    const parent = createActor(
      setup({ actors: { workerPool: pool.logic } }).createMachine({
        invoke: { src: 'workerPool', id: 'workerPool', systemId: SYSTEM_ID.workerPool, input: pool.input },
      }),
    ).start();
    const child = new WorkerPool(parent.system.get(SYSTEM_ID.workerPool), workerOps);
    expect(await child.run('sync', { op: 'diff', payload: { ours: ['a'], theirs: ['b'] } })).toEqual({ theyLack: ['a'], weLack: ['b'] });

    const long = child.run('crypto', { op: 'signBatch', payload: { secretKey: platformCrypto.ed25519.generateSecretKey(), messages: Array.from({ length: 20_000 }, () => new Uint8Array(64)) } });
    await waitFor(child.actor, (s) => s.context.workers['crypto-0']?.inFlight === 1);
    parent.stop();
    await expect(long).rejects.toSatisfy((e) => isWorkerError(e, 'POOL_STOPPED'));
  });
});
