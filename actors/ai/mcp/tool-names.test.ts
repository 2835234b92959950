import { describe, expect, it } from 'vitest';
import { assignNames } from './tool-names.ts';

const names = (candidates: Parameters<typeof assignNames>[0]) => Object.fromEntries([...assignNames(candidates)].map(([name, c]) => [name, `${c.serverId}:${c.serverTool}`]));

describe('assignNames', () => {
  it('keeps plain names when nothing clashes', () => {
    expect(
      names([
        { serverId: 'filesystem', serverTool: 'read_text_file', name: 'read_file' },
        { serverId: 'lama', serverTool: 'delete_file', name: 'delete_file' },
      ]),
    ).toEqual({ read_file: 'filesystem:read_text_file', delete_file: 'lama:delete_file' });
  });

  it('namespaces every server offering a clashing name, whichever came first', () => {
    const a = { serverId: 'filesystem', serverTool: 'search', name: 'search' };
    const b = { serverId: 'lama', serverTool: 'search', name: 'search' };
    const expected = { filesystem__search: 'filesystem:search', lama__search: 'lama:search' };
    expect(names([a, b])).toEqual(expected);
    expect(names([b, a])).toEqual(expected);
  });

  it('leaves out names no provider accepts, and a second tool mapped to a taken name', () => {
    expect(
      names([
        { serverId: 's', serverTool: 'has space', name: 'has space' },
        { serverId: 's', serverTool: 'dotted.name', name: 'dotted.name' },
        { serverId: 's', serverTool: 'x'.repeat(65), name: 'x'.repeat(65) },
        { serverId: 's', serverTool: 'one', name: 'same' },
        { serverId: 's', serverTool: 'two', name: 'same' },
      ]),
    ).toEqual({ same: 's:one' });
  });
});
