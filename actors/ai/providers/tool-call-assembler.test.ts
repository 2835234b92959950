import { describe, expect, it } from 'vitest';
import { isLlmError } from '../llm-provider.ts';
import { parseToolArguments, ToolCallAssembler } from './tool-call-assembler.ts';

describe('ToolCallAssembler', () => {
  it('joins argument fragments per index and hands on each call whole, in index order', () => {
    const calls = new ToolCallAssembler('Test');
    calls.add(1, { id: 'call_b', name: 'list_dir', arguments: '' });
    calls.add(0, { id: 'call_a', name: 'read_file', arguments: '{"pa' });
    calls.add(0, { arguments: 'th":"/tmp/a' });
    calls.add(1, { arguments: '{}' });
    calls.add(0, { id: null, name: null, arguments: '"}' });
    expect(calls.pending).toBe(2);
    expect(calls.finishAll()).toEqual([
      { id: 'call_a', name: 'read_file', arguments: { path: '/tmp/a' } },
      { id: 'call_b', name: 'list_dir', arguments: {} },
    ]);
    expect(calls.pending).toBe(0);
  });

  it('keeps the first id and name (later pieces do not repeat or extend them)', () => {
    const calls = new ToolCallAssembler('Test');
    calls.add(0, { id: 'call_1', name: 'search' });
    calls.add(0, { id: '', name: '', arguments: '{"q":"x"}' });
    expect(calls.finish(0)).toEqual({ id: 'call_1', name: 'search', arguments: { q: 'x' } });
  });

  it('gives a call without an id a unique one', () => {
    const calls = new ToolCallAssembler('Test');
    calls.add(0, { name: 'a' });
    calls.add(1, { name: 'b' });
    const [first, second] = calls.finishAll();
    expect(first?.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(first?.id).not.toBe(second?.id);
  });

  it('refuses a call without a name, or one ended that never began, as MALFORMED_STREAM', () => {
    const calls = new ToolCallAssembler('Test');
    calls.add(0, { arguments: '{}' });
    expect(() => calls.finish(0)).toThrow(expect.objectContaining({ code: 'MALFORMED_STREAM' }));
    expect(() => calls.finish(5)).toThrow(expect.objectContaining({ code: 'MALFORMED_STREAM' }));
  });
});

describe('parseToolArguments', () => {
  it('takes empty text as no arguments and a JSON object as itself', () => {
    expect(parseToolArguments('  ', 'Test', 't')).toEqual({});
    expect(parseToolArguments('{"n":[1,{"k":null}]}', 'Test', 't')).toEqual({ n: [1, { k: null }] });
  });

  it.each(['{"path":', '[1,2]', '"text"', '42', 'null'])('refuses %s as MALFORMED_STREAM, naming the tool', (json) => {
    try {
      parseToolArguments(json, 'Test', 'read_file');
      expect.unreachable();
    } catch (error) {
      expect(isLlmError(error, 'MALFORMED_STREAM')).toBe(true);
      expect((error as Error).message).toContain('read_file');
    }
  });
});
