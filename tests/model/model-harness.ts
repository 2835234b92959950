import { expect } from 'vitest';
import { fromPromise, type AnyActorRef, type AnyStateMachine, type AnyStateNode, type SnapshotFrom } from 'xstate';

/**
 * Shared pieces for model-based tests (STYLE.md §1, testing 3): an event-only model walked with
 * xstate/graph drives the real actor, whose effects are fakes settled by hand.
 */

/** A promise settled from outside: how a test plays an effect (an archive opening, a worker crashing). */
export class Deferred<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (error: unknown) => void;
  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

/** Lets settled fakes and the actor's reactions to them run to the end. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Every state path of a machine, e.g. `live.running.workerPool.up`. */
export function statePaths(machine: AnyStateMachine): string[] {
  const paths: string[] = [];
  const walk = (node: AnyStateNode, prefix: string[]) => {
    for (const [key, child] of Object.entries(node.states)) {
      const path = [...prefix, key];
      paths.push(path.join('.'));
      walk(child, path);
    }
  };
  walk(machine.root, []);
  return paths;
}

/**
 * A `states` map for `path.test`: in every model state the real actor must be in the same state;
 * `extra` adds per-state checks of the effects seen so far.
 */
export function sameStateChecks<M extends AnyStateMachine>(
  model: M,
  real: () => AnyActorRef,
  extra: Record<string, (snapshot: SnapshotFrom<M>) => void> = {},
): Record<string, (snapshot: SnapshotFrom<M>) => void> {
  return Object.fromEntries(
    statePaths(model).map((path) => [
      path,
      (snapshot: SnapshotFrom<M>) => {
        expect(real().getSnapshot().matches(path), `real actor should be in ${path}`).toBe(true);
        expect(real().getSnapshot().value).toEqual((snapshot as unknown as { value: unknown }).value);
        extra[path]?.(snapshot);
      },
    ]),
  );
}

/**
 * Promise effects a test settles by hand, by name: `settleable('openStore')` is the effect's
 * logic; each start records its input and leaves a pending promise that `resolve`/`reject` settle
 * (then let the actor react).
 */
export function handSettled() {
  const pending: Record<string, Deferred<unknown>> = {};
  const calls: { name: string; input: unknown }[] = [];
  return {
    pending,
    calls,
    settleable: <T, I = unknown>(name: string) =>
      fromPromise<T, I>(({ input }) => {
        calls.push({ name, input });
        pending[name] = new Deferred<unknown>();
        return pending[name].promise as Promise<T>;
      }),
    resolve: async (name: string, value?: unknown) => {
      pending[name]!.resolve(value);
      await settle();
    },
    reject: async (name: string, error: unknown) => {
      pending[name]!.reject(error);
      await settle();
    },
  };
}
