/**
 * The boundary every transport shares (Electron main, the Node control socket): parse the request,
 * call the Orchestrator, parse its response; parse pushes before they leave. The renderer is
 * untrusted input and the host may have bugs, so neither side's mistakes cross unchecked, and
 * nothing here throws: every outcome is an `IpcResult`.
 */
import type { z } from 'zod';
import type { IpcError, IpcResult, PushMessage } from './channels.ts';
import { channels, ipcErrorSchema, isInvokeChannel, isPushChannel } from './channels.ts';
import type { Orchestrator } from './orchestrator.ts';

export type DispatchOptions = {
  /** Where the host logs what it hides from the renderer: internal errors keep their stack here only. */
  onInternalError?: (error: unknown, where: string) => void;
};

const MAX_MESSAGE = 500;

export async function dispatch(
  orchestrator: Orchestrator,
  channel: unknown,
  request: unknown,
  options: DispatchOptions = {},
): Promise<IpcResult> {
  if (!isInvokeChannel(channel)) {
    return failure('UNKNOWN_CHANNEL', `no invoke channel named ${describe(channel)}`);
  }
  const entry = channels[channel];
  const parsedRequest = entry.request.safeParse(request);
  if (!parsedRequest.success) return failure('BAD_REQUEST', `${channel}: ${explain(parsedRequest.error)}`);

  let response: unknown;
  try {
    const handler = orchestrator[channel] as (request: unknown) => Promise<unknown>;
    response = await handler.call(orchestrator, parsedRequest.data);
  } catch (error) {
    const coded = codedError(error);
    if (coded) return { ok: false, error: coded };
    options.onInternalError?.(error, channel);
    return failure('INTERNAL', `${channel} failed inside the host`);
  }

  const parsedResponse = entry.response.safeParse(response);
  if (!parsedResponse.success) {
    options.onInternalError?.(parsedResponse.error, `${channel} response`);
    return failure('INTERNAL', `${channel}: the host's response broke the channel schema (${explain(parsedResponse.error)})`);
  }
  return { ok: true, response: parsedResponse.data };
}

/** A push as it may leave the host, or undefined (reported) if the channel or payload is wrong. */
export function checkPush(push: PushMessage, options: DispatchOptions = {}): PushMessage | undefined {
  if (!isPushChannel(push.channel)) {
    options.onInternalError?.(new Error(`no push channel named ${describe(push.channel)}`), 'push');
    return undefined;
  }
  const parsed = channels[push.channel].payload.safeParse(push.payload);
  if (!parsed.success) {
    options.onInternalError?.(parsed.error, push.channel);
    return undefined;
  }
  return { channel: push.channel, payload: parsed.data } as PushMessage;
}

export function failure(code: string, message: string): { ok: false; error: IpcError } {
  return { ok: false, error: { code, message: message.slice(0, MAX_MESSAGE) } };
}

/** A thrown value that carries a well-formed code keeps it (and its message); anything else is INTERNAL. */
function codedError(error: unknown): IpcError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const candidate = { code, message: typeof message === 'string' ? message.slice(0, MAX_MESSAGE) : String(code) };
  const parsed = ipcErrorSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

/** The first issue, with the field it concerns, e.g. `passphrase: Too small: expected string to have >=8 characters`. */
function explain(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const field = issue.path.map(String).join('.');
  return field ? `${field}: ${issue.message}` : issue.message;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : `(${typeof value})`;
}
