import { describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { workerMachine, type WorkerReport } from '../../machines/worker.ts';
import type { WorkerTask } from '../../machines/worker-task.ts';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { cryptoOps } from './crypto-ops.ts';
import { reportRecorder } from './fake-thread.ts';
import { InProcessWorkerHandle } from './in-process-handle.ts';
import { threadActor } from './thread-actor.ts';
import type { WorkerHandle } from './worker-handle.ts';

// The thread actor between a real worker machine and an in-process worker: what reaches the
// machine when the worker misbehaves or a payload cannot be sent.

function start(open: () => WorkerHandle = () => new InProcessWorkerHandle('crypto', cryptoOps(nobleCrypto))) {
  const handles: WorkerHandle[] = [];
  const recorder = reportRecorder();
  const machine = workerMachine.provide({
    actors: {
      thread: threadActor(() => {
        const handle = open();
        handles.push(handle);
        return handle;
      }),
    },
    delays: { backoff: 1 },
  });
  const actor = createActor(machine, { input: { workerId: 'crypto-0', kind: 'crypto', reportTo: recorder.ref } }).start();
  const reports = <T extends WorkerReport['type']>(type: T) => recorder.reports.filter((r): r is Extract<WorkerReport, { type: T }> => r.type === type);
  const ready = () => waitFor(actor, (s) => s.matches({ running: 'ready' }));
  const stop = () => (actor.stop(), recorder.stop());
  return { actor, handles, reports, ready, stop };
}

const secretKey = nobleCrypto.ed25519.generateSecretKey();
const sign = (id: number, message: unknown): WorkerTask => ({ id, kind: 'crypto', op: 'sign', payload: { secretKey, message }, transfer: [], idempotent: true });

describe('threadActor', () => {
  it('reports a terminate() it did not ask for as a crash, and terminates the worker when the machine moves on', async () => {
    const t = start();
    try {
      await t.ready();
      await t.handles[0]!.terminate(); // someone else ends it
      await waitFor(t.actor, (s) => s.context.restarts === 1);
      expect(t.reports('worker.crashed')).toMatchObject([{ reason: 'exit', message: 'terminated by the host' }]);
      await t.ready(); // the replacement is up
      expect(t.handles).toHaveLength(2);
    } finally {
      t.stop();
    }
  });

  it('fails only the task whose payload cannot be sent; the rest of the chunk runs', async () => {
    const t = start();
    try {
      await t.ready();
      t.actor.send({ type: 'worker.dispatch', tasks: [sign(1, new Uint8Array(1)), sign(2, () => 'not cloneable'), sign(3, new Uint8Array(2))], timeoutMs: 5_000 });
      await waitFor(t.actor, (s) => s.matches({ running: 'ready' }));
      const outcomes = t.reports('worker.settled').flatMap((r) => r.outcomes);
      expect(outcomes.map((o) => [o.id, o.ok || o.error.code]).sort()).toEqual([
        [1, true],
        [2, 'BAD_REQUEST'],
        [3, true],
      ]);
    } finally {
      t.stop();
    }
  });

  it('treats a ready from the wrong kind of worker as a protocol error', async () => {
    const t = start(() => new InProcessWorkerHandle('sync', {}));
    try {
      await waitFor(t.actor, (s) => s.context.restarts >= 1);
      expect(t.reports('worker.crashed')[0]).toMatchObject({ reason: 'error', message: 'protocol error from crypto-0: expected a crypto worker, got a sync worker' });
    } finally {
      t.stop();
    }
  });

  it('treats a malformed message from the worker as a protocol error', async () => {
    const t = start(() => {
      const handle = new InProcessWorkerHandle('crypto', cryptoOps(nobleCrypto));
      const onMessage = handle.onMessage.bind(handle);
      handle.onMessage = (listener) => onMessage((message) => listener((message as { type: string }).type === 'outcomes' ? { type: 'outcomes', ids: [1] } : message));
      return handle;
    });
    try {
      await t.ready();
      t.actor.send({ type: 'worker.dispatch', tasks: [sign(1, new Uint8Array(1))], timeoutMs: 5_000 });
      await waitFor(t.actor, (s) => s.context.restarts >= 1);
      expect(t.reports('worker.crashed')[0]).toMatchObject({ reason: 'error', message: expect.stringContaining('protocol error from crypto-0: outcomes need one result per id') });
      expect(t.reports('worker.crashed')[0]!.lost.map((task) => task.id)).toEqual([1]);
    } finally {
      t.stop();
    }
  });
});
