import { describe, expect, it } from 'vitest';
import { ERROR_CODE_META } from './mcp-error.ts';
import { looksBinary, MAX_RESULT_CHARS, toToolResult, truncateResult } from './tool-result.ts';

describe('looksBinary', () => {
  it('tells binary read as UTF-8 from text', () => {
    expect(looksBinary('hello\nworld')).toBe(false);
    expect(looksBinary('')).toBe(false);
    expect(looksBinary('a\u0000b')).toBe(true);
    expect(looksBinary('\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR')).toBe(true);
    expect(looksBinary('\ufffd\ufffd\ufffdx\ufffd')).toBe(true);
    // A legacy-encoded text file with the odd accent that did not decode stays text.
    expect(looksBinary(`caf\ufffd au lait, cr\ufffdme br\ufffdl\ufffde ${'et encore '.repeat(10)}`)).toBe(false);
  });

  it('looks at the start of a long text only', () => {
    expect(looksBinary(`${'text '.repeat(4_000)}\u0000`)).toBe(false);
  });
});

describe('truncateResult', () => {
  it('leaves a short result alone', () => {
    expect(truncateResult('abc', 3)).toBe('abc');
  });

  it('cuts at the limit and says so, naming the limit and the full length', () => {
    const cut = truncateResult('x'.repeat(100), 10);
    expect(cut.startsWith(`${'x'.repeat(10)}\n\n[LAMA cut this result`)).toBe(true);
    expect(cut).toContain('it has 100 characters');
    expect(cut).toContain('limited to 10');
  });

  it('never splits a surrogate pair', () => {
    const cut = truncateResult(`${'a'.repeat(9)}😀tail`, 10);
    expect(cut.startsWith(`${'a'.repeat(9)}\n`)).toBe(true);
    expect(cut).not.toContain('\ud83d');
  });
});

describe('toToolResult', () => {
  it('joins text blocks', () => {
    expect(toToolResult('t', { content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] })).toEqual({ content: 'a\nb', isError: false });
  });

  it('passes an embedded text resource and names a resource link', () => {
    const result = toToolResult('t', {
      content: [
        { type: 'resource', resource: { uri: 'file:///a', text: 'inside' } },
        { type: 'resource_link', uri: 'file:///b', name: 'b' },
      ],
    });
    expect(result).toEqual({ content: 'inside\n[resource file:///b]', isError: false });
  });

  it('uses structured content when there is no text', () => {
    expect(toToolResult('t', { content: [], structuredContent: { n: 1 } }).content).toBe('{"n":1}');
  });

  it.each([
    ['an image', { type: 'image' as const, data: 'iVBORw0KGgo=', mimeType: 'image/png' }, /image\/png/],
    ['audio', { type: 'audio' as const, data: 'AAAA', mimeType: 'audio/wav' }, /audio\/wav/],
    ['a binary resource', { type: 'resource' as const, resource: { uri: 'file:///x', blob: 'AAAA', mimeType: 'application/octet-stream' } }, /octet-stream/],
  ])('refuses %s as BINARY', (_what, block, mime) => {
    const result = toToolResult('read_file', { content: [block] });
    expect(result).toMatchObject({ isError: true, code: 'BINARY' });
    expect(result.content).toMatch(mime);
    expect(result.content).toContain('LAMA passes only text to the model');
  });

  it('refuses text that is binary read as UTF-8', () => {
    expect(toToolResult('read_file', { content: [{ type: 'text', text: 'PK\u0003\u0004\u0000\u0000' }] })).toMatchObject({ isError: true, code: 'BINARY' });
  });

  it('passes a tool error on, named, and keeps a code LAMA\'s own server sent', () => {
    expect(toToolResult('read_file', { content: [{ type: 'text', text: 'Access denied' }], isError: true })).toEqual({
      content: 'read_file: Access denied',
      isError: true,
      code: 'TOOL_FAILED',
    });
    const coded = toToolResult('delete_file', { content: [{ type: 'text', text: 'outside' }], isError: true, _meta: { [ERROR_CODE_META]: 'OUTSIDE_ROOTS' } });
    expect(coded.code).toBe('OUTSIDE_ROOTS');
    // A code LAMA does not know is not trusted.
    expect(toToolResult('x', { content: [], isError: true, _meta: { [ERROR_CODE_META]: 'EVERYTHING_FINE' } }).code).toBe('TOOL_FAILED');
  });

  it('cuts a huge result at the limit', () => {
    const result = toToolResult('t', { content: [{ type: 'text', text: 'y'.repeat(MAX_RESULT_CHARS * 3) }] });
    expect(result.isError).toBe(false);
    expect(result.content.length).toBeLessThan(MAX_RESULT_CHARS + 300);
    expect(result.content).toContain(`limited to ${MAX_RESULT_CHARS.toLocaleString('en')}`);
  });
});
