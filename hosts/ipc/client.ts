/**
 * What renderer code talks to, whatever the transport: Electron's preload bridge (`window.lama`)
 * or the Node host's control socket. Replies are unwrapped here, so a failure is always a thrown
 * `OrchestrationError` with the host's code.
 */
import type { IpcResult, PayloadOf, PushChannel, RequestOf, ResponseOf, InvokeChannel } from './channels.ts';
import { invokeChannels } from './channels.ts';
import { OrchestrationError } from './orchestration-error.ts';
import type { InvokeHandlers } from './orchestrator.ts';

export type PushSubscribe = <C extends PushChannel>(channel: C, listener: (payload: PayloadOf<C>) => void) => () => void;

export type OrchestrationClient = InvokeHandlers & { on: PushSubscribe };

/**
 * What the Electron preload exposes as `window.lama`. Replies stay envelopes there because
 * contextBridge copies only an Error's message, which would lose the code.
 */
export type LamaBridge = {
  [C in InvokeChannel]: (request: RequestOf<C>) => Promise<IpcResult<ResponseOf<C>>>;
} & { on: PushSubscribe };

export function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.response;
  throw new OrchestrationError(result.error.code, result.error.message);
}

export function clientFromBridge(bridge: LamaBridge): OrchestrationClient {
  const calls = Object.fromEntries(
    invokeChannels.map((channel) => {
      const call = bridge[channel] as (request: unknown) => Promise<IpcResult>;
      return [channel, async (request: unknown) => unwrap(await call(request))];
    }),
  ) as unknown as InvokeHandlers;
  return { ...calls, on: bridge.on };
}
