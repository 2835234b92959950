import { describe, expect, it } from 'vitest';
import { NdjsonLines } from './ndjson-lines.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe('NdjsonLines', () => {
  it('passes whole lines only, holding a partial line (and a split UTF-8 character) until it completes', () => {
    const lines = new NdjsonLines();
    const euro = bytes('{"a":"€"}\n');
    expect(text(lines.push(euro.subarray(0, 7)).lines)).toBe('');
    expect(text(lines.push(euro.subarray(7)).lines)).toBe('{"a":"€"}\n');
    expect(text(lines.push(bytes('{"b":1}\n{"c"')).lines)).toBe('{"b":1}\n');
    expect(text(lines.push(bytes(':2}\n\n')).lines)).toBe('{"c":2}\n\n');
  });

  it('delivers the good lines before a bad one, then reports the bad one', () => {
    const lines = new NdjsonLines();
    const { lines: good, malformed } = lines.push(bytes('{"ok":1}\nnot json\n{"ok":2}\n'));
    expect(text(good)).toBe('{"ok":1}\n');
    expect(malformed).toBeInstanceOf(NdjsonLines.Malformed);
    expect(malformed?.message).toBe('line 2 is not JSON');
  });

  it('refuses JSON that is not an object, and bytes that are not UTF-8', () => {
    expect(new NdjsonLines().push(bytes('[1,2]\n')).malformed?.message).toBe('line 1 is not a JSON object');
    expect(new NdjsonLines().push(new Uint8Array([0x7b, 0xff, 0x7d, 0x0a])).malformed?.message).toBe('line 1 is not UTF-8');
  });

  it('checks a last line without a newline at the end', () => {
    const lines = new NdjsonLines();
    lines.push(bytes('{"done":true}'));
    expect(text(lines.end())).toBe('{"done":true}\n');
    const broken = new NdjsonLines();
    broken.push(bytes('{"done":tr'));
    expect(() => broken.end()).toThrow(NdjsonLines.Malformed);
  });
});
