import { describe, expect, it } from 'vitest';
import { LlmError } from '../llm-provider.ts';
import { codeForStatus, httpError, originOf, redact, retryAfterMs } from './provider-errors.ts';

describe('provider errors', () => {
  it('maps HTTP statuses to codes; a 404 is a missing model only where the request named one', () => {
    expect([401, 403, 429, 408, 400, 500, 502, 503, 529].map((status) => codeForStatus(status, true))).toEqual([
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'RATE_LIMITED',
      'TIMEOUT',
      'PROVIDER',
      'PROVIDER',
      'PROVIDER',
      'PROVIDER',
      'PROVIDER',
    ]);
    expect(codeForStatus(404, true)).toBe('MODEL_MISSING');
    expect(codeForStatus(404, false)).toBe('PROVIDER');
  });

  it('reads Retry-After as seconds, as an HTTP date, or retry-after-ms; ignores what does not parse', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '7' }), now)).toBe(7000);
    expect(retryAfterMs(new Headers({ 'retry-after': '1.5' }), now)).toBe(1500);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), now)).toBe(30_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 31 Dec 2025 00:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it('gives retryAfterMs only to RATE_LIMITED, and cuts long provider details short', () => {
    const context = { label: 'Test', origin: 'http://127.0.0.1:1' };
    const headers = new Headers({ 'retry-after': '3' });
    expect(httpError(context, 429, 'slow down', headers, true)).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 3000, message: 'Test answered 429: slow down' });
    expect(httpError(context, 503, 'x'.repeat(1000), headers, true).retryAfterMs).toBeUndefined();
    expect(httpError(context, 503, 'x'.repeat(1000), headers, true).message.length).toBeLessThan(340);
  });

  it('redacts every occurrence of the key and keeps the code and retry time', () => {
    const error = redact(new LlmError('RATE_LIMITED', 'key sk-1 refused; sk-1 again', 500), 'sk-1');
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 500, message: 'key [redacted] refused; [redacted] again' });
    const clean = new LlmError('PROVIDER', 'nothing secret');
    expect(redact(clean, 'sk-1')).toBe(clean);
    expect(redact(clean, undefined)).toBe(clean);
  });

  it('shows an endpoint without its credentials or path', () => {
    expect(originOf('http://user:secret@10.0.0.2:11434/api')).toBe('http://10.0.0.2:11434');
    expect(originOf('not a url')).toBe('(an invalid endpoint)');
  });
});
