/**
 * What a host implements to be driven over IPC: one async method per invoke channel, named by
 * the channel, typed from the table, plus a push subscription. Electron main and the Node control
 * socket both serve any Orchestrator through `dispatch`, which validates before and after the call,
 * so implementations receive parsed requests and may throw `OrchestrationError`s.
 */
import type { InvokeChannel, PushMessage, RequestOf, ResponseOf } from './channels.ts';
import { invokeChannels } from './channels.ts';
import { OrchestrationError } from './orchestration-error.ts';

export type InvokeHandlers = { [C in InvokeChannel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };
export type PushListener = (push: PushMessage) => void;

export type Orchestrator = InvokeHandlers & {
  /** Calls `listener` for every status push until the returned function is called. */
  onPush(listener: PushListener): () => void;
};

/**
 * An Orchestrator from the handlers a host has so far; the rest answer NOT_IMPLEMENTED. Channels
 * land issue by issue (federation, backup), and a missing one must be an error reply, not a hole.
 */
export function partialOrchestrator(
  handlers: Partial<InvokeHandlers>,
  onPush: Orchestrator['onPush'] = () => () => undefined,
): Orchestrator {
  const missing = Object.fromEntries(
    invokeChannels.map((channel) => [
      channel,
      () => Promise.reject(new OrchestrationError('NOT_IMPLEMENTED', `${channel} is not implemented by this host yet`)),
    ]),
  ) as unknown as InvokeHandlers;
  return { ...missing, ...handlers, onPush };
}
