import type { AnyActorRef } from 'xstate';
import { WorkerError } from '../../actors/workers/worker-error.ts';
import { WorkerPool } from '../../actors/workers/pool-client.ts';
import { workerOps } from '../../actors/workers/ops.ts';

/**
 * A WorkerPool client on whichever pool actor the app runs now: the app supervisor restarts a
 * crashed pool as a new actor, and whoever holds a client (the embedded model's provider) must
 * not keep talking to the old one. `undefined` when the app's pool child is not a worker pool
 * (tests run the host with an idle stand-in).
 */
export function followPool(current: () => AnyActorRef | undefined): WorkerPool | undefined {
  const isPool = (ref: AnyActorRef | undefined) => (ref?.getSnapshot() as { context?: { kinds?: unknown } } | undefined)?.context?.kinds !== undefined;
  if (!isPool(current())) return undefined;
  let held: { ref: AnyActorRef; client: WorkerPool } | undefined;
  const client = (): WorkerPool => {
    const ref = current();
    if (!ref || !isPool(ref)) throw new WorkerError({ code: 'POOL_STOPPED', message: 'the worker pool is restarting; try again in a moment' });
    if (held?.ref !== ref) held = { ref, client: new WorkerPool(ref as ConstructorParameters<typeof WorkerPool>[0], workerOps) };
    return held.client;
  };
  return new Proxy({} as WorkerPool, {
    get: (_, property) => {
      const target = client();
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
