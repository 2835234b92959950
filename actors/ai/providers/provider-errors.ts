import { LlmError, type LlmErrorCode } from '../llm-provider.ts';
import type { TransportGuard } from './transport-guard.ts';

/**
 * Turning whatever went wrong into one LlmError (specs/llm-providers.md §4). The transport's own
 * verdict comes first (a timeout or a cancel also makes the SDK throw something, which is then only
 * a consequence), then the provider's HTTP status and error body, then what the SDK threw. Every
 * message passes through `redact`, so the API key cannot leave in an error's text.
 */

/** What a provider says about itself in error messages. */
export interface FailureContext {
  /** 'Ollama', 'LM Studio', 'Claude'. */
  readonly label: string;
  /** The endpoint without credentials or path, for messages. */
  readonly origin: string;
  /** The API key: removed from every message. */
  readonly secret?: string;
}

/** A provider's own reading of an SDK error; undefined when it does not recognise it. */
export type ClassifyError = (error: unknown, guard: TransportGuard) => LlmError | undefined;

const MAX_DETAIL = 300;

export function transportError(guard: TransportGuard, context: FailureContext): LlmError | undefined {
  const { label, origin } = context;
  switch (guard.failure) {
    case 'cancelled':
      return new LlmError('CANCELLED', `the request to ${label} was cancelled`);
    case 'timeout':
      return new LlmError('TIMEOUT', `${label} at ${origin} sent nothing for ${seconds(guard.timeoutMs)}`);
    case 'unreachable':
      return new LlmError('UNREACHABLE', `nothing answers at ${origin} (${label})`);
    case 'cut':
      return new LlmError('MALFORMED_STREAM', `${label} closed the connection before the answer was complete`);
    case 'malformed':
      return new LlmError('MALFORMED_STREAM', `${label} sent a line that is not JSON`);
    case undefined:
      return undefined;
  }
}

/**
 * The code an HTTP error status means. `namesModel`: the request named a model, so a 404 means
 * that model is missing (a 404 on the model list means the endpoint is not this provider at all).
 */
export function codeForStatus(status: number, namesModel: boolean): LlmErrorCode {
  if (status === 401 || status === 403) return 'UNAUTHORIZED';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 404 && namesModel) return 'MODEL_MISSING';
  if (status === 408) return 'TIMEOUT';
  return 'PROVIDER';
}

export function httpError(context: FailureContext, status: number, detail: string | undefined, headers: Headers | undefined, namesModel: boolean): LlmError {
  const code = codeForStatus(status, namesModel);
  const text = detail ? `: ${truncate(detail)}` : '';
  return new LlmError(code, `${context.label} answered ${status}${text}`, code === 'RATE_LIMITED' ? retryAfterMs(headers) : undefined);
}

/** `retry-after-ms`, or `retry-after` in seconds or as an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The final LlmError for a failed operation, with the key taken out of its message. */
export function describeFailure(error: unknown, guard: TransportGuard, context: FailureContext, classify: ClassifyError): LlmError {
  const mapped =
    transportError(guard, context) ??
    (error instanceof LlmError ? error : undefined) ??
    classify(error, guard) ??
    (error instanceof SyntaxError ? new LlmError('MALFORMED_STREAM', `${context.label} sent data that does not parse`) : undefined) ??
    new LlmError('PROVIDER', `${context.label} failed: ${truncate(errorText(error))}`);
  return redact(mapped, context.secret);
}

export function redact(error: LlmError, secret: string | undefined): LlmError {
  if (!secret || !error.message.includes(secret)) return error;
  return new LlmError(error.code, error.message.split(secret).join('[redacted]'), error.retryAfterMs);
}

/** The endpoint as shown in messages: scheme, host and port only (no user:password@, no path). */
export function originOf(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return '(an invalid endpoint)';
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
