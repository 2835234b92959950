import { describe, expect, it } from 'vitest';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { cryptoOps } from './crypto-ops.ts';
import { InProcessWorkerHandle } from './in-process-handle.ts';
import { runWorkerHandleTests } from './worker-handle-tests.ts';
import type { WorkerExit } from './worker-handle.ts';

// The fake every machine and client test leans on must itself pass the adapters' contract.
runWorkerHandleTests('in-process', () => new InProcessWorkerHandle('crypto', cryptoOps(nobleCrypto)), { crypto: nobleCrypto, transfers: true });

describe('InProcessWorkerHandle.crash', () => {
  it('ends the worker as an error exit, reported once', async () => {
    const handle = new InProcessWorkerHandle('crypto', cryptoOps(nobleCrypto));
    const exits: WorkerExit[] = [];
    handle.onExit((exit) => exits.push(exit));
    handle.crash('boom');
    handle.crash('again');
    await handle.terminate();
    await Promise.resolve();
    expect(exits).toEqual([{ reason: 'error', message: 'boom' }]);
  });
});
