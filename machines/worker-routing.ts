import type { WorkerTask } from './worker-task.ts';

/**
 * Which queued tasks go to which worker now (pure; the pool machine applies the plan).
 *
 * - Least busy first: each chunk goes to the worker with the fewest tasks in flight (ties: the
 *   earlier worker), so a slow or restarted worker is not handed more than its share.
 * - Several tasks per message: a chunk becomes one message to the worker, so a burst of small tasks
 *   pays one postMessage per chunk rather than per task. A chunk is at most `maxBatch` tasks and
 *   no more than evens out the load, so two idle workers split ten tasks five and five.
 * - Pipelining, bounded: up to `maxInFlight` tasks per worker, so a worker finds its next chunk
 *   waiting when it finishes one, while a crash loses (and a retry resends) a bounded amount.
 * - A chunk's tasks share one timeout (the worker arms one deadline per message), so a chunk ends
 *   where the timeout changes. FIFO order is kept.
 */

export interface RoutingLimits {
  maxBatch: number;
  maxInFlight: number;
}

export interface Candidate {
  id: string;
  inFlight: number;
}

export interface DispatchPlan {
  sends: Array<{ workerId: string; tasks: WorkerTask[] }>;
  /** What stays queued. */
  queue: WorkerTask[];
  /** In-flight counts after the plan, per candidate. */
  inFlight: Map<string, number>;
}

export function planDispatch(queue: readonly WorkerTask[], candidates: readonly Candidate[], limits: RoutingLimits): DispatchPlan {
  const load = new Map(candidates.map((c) => [c.id, c.inFlight]));
  const sends: DispatchPlan['sends'] = [];
  let head = 0;
  while (head < queue.length) {
    let best: string | undefined;
    let bestLoad = Infinity;
    let withRoom = 0;
    let loadWithRoom = 0;
    for (const [id, inFlight] of load) {
      if (inFlight >= limits.maxInFlight) continue;
      withRoom++;
      loadWithRoom += inFlight;
      if (inFlight < bestLoad) [best, bestLoad] = [id, inFlight];
    }
    if (best === undefined) break;
    // Fill the least busy worker up to the level every worker with room would reach if the queue
    // were spread evenly over them.
    const level = Math.ceil((queue.length - head + loadWithRoom) / withRoom);
    const size = Math.max(1, Math.min(limits.maxBatch, limits.maxInFlight - bestLoad, level - bestLoad));
    const timeout = queue[head]!.timeoutMs;
    let end = head + 1;
    while (end < head + size && end < queue.length && queue[end]!.timeoutMs === timeout) end++;
    sends.push({ workerId: best, tasks: queue.slice(head, end) });
    load.set(best, bestLoad + (end - head));
    head = end;
  }
  return { sends, queue: head === 0 ? [...queue] : queue.slice(head), inFlight: load };
}
