import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PromptToolParser, toolBlock } from './prompt-tools.ts';

const known = new Set(['read_file']);
const run = (chunks: string[]) => {
  const parser = new PromptToolParser(known);
  let text = '';
  const calls = [];
  for (const chunk of chunks) {
    const out = parser.push(chunk);
    text += out.text;
    calls.push(...out.calls);
  }
  text += parser.end().text;
  return { text, calls };
};

describe('PromptToolParser', () => {
  it('passes text through and turns a fenced block into a tool call, never showing its JSON', () => {
    const block = toolBlock({ name: 'read_file', arguments: { path: 'a.md' } });
    const { text, calls } = run(['Let me look. ', block.slice(0, 5), block.slice(5, 20), block.slice(20), '']);
    expect(text).toBe('Let me look. ');
    expect(calls).toEqual([{ id: 'prompt-call-1', name: 'read_file', arguments: { path: 'a.md' } }]);
  });

  it('gives back as text a block that is not a call of a known tool, and an unclosed one', () => {
    expect(run(['```tool\n{"name": "rm_rf", "arguments": {}}\n```']).text).toBe('```tool\n{"name": "rm_rf", "arguments": {}}\n```');
    expect(run(['```tool\nnot json\n```']).calls).toEqual([]);
    expect(run(['ok ```tool\n{"name": "read_', 'file"']).text).toBe('ok ```tool\n{"name": "read_file"');
  });

  it('keeps ordinary code fences as text', () => {
    expect(run(['```ts\nconst x = 1;\n```']).text).toBe('```ts\nconst x = 1;\n```');
  });

  it('gives the same result however the stream is cut into chunks', () => {
    const whole = `Sure. ${toolBlock({ name: 'read_file', arguments: { path: 'x`y.md' } })}`;
    const expected = run([whole]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: whole.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set([0, ...cuts, whole.length])].sort((a, b) => a - b);
        const chunks = points.slice(1).map((end, i) => whole.slice(points[i], end));
        expect(run(chunks)).toEqual(expected);
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});
