import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { deleteFileTool } from './delete-file-tool.node.ts';
import { LamaToolServer } from './lama-tool-server.ts';
import { isMcpError } from './mcp-error.ts';
import { searchMessagesTool, type MessageSearch } from './search-messages-tool.ts';
import { ToolRegistry } from './tool-registry.ts';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'lama-tools-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let root: string;
let outside: string;
let server: LamaToolServer;
let registry: ToolRegistry;
let n = 0;

beforeEach(async () => {
  const dir = join(base, String(++n));
  root = join(dir, 'root');
  outside = join(dir, 'outside');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'sentinel.txt'), 'sentinel');
  server = new LamaToolServer();
  server.register(deleteFileTool(() => [root]));
  registry = new ToolRegistry();
  await server.connect(registry);
});
afterEach(() => server.close());

const run = (name: string, args: Record<string, unknown>) => registry.call({ id: 'c', name, arguments: args });

describe('LamaToolServer', () => {
  it('offers delete_file to the registry, annotated as destructive', () => {
    expect(registry.tools().map((t) => t.name)).toEqual(['delete_file']);
    expect(registry.resolve('delete_file')?.tool.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(registry.tools()[0]!.inputSchema).toMatchObject({ type: 'object', required: ['path'] });
  });

  it('adds a tool registered after connecting, and drops it when unregistered', async () => {
    const unregister = server.register(searchMessagesTool(async () => []));
    await vi.waitFor(() => expect(registry.tools().map((t) => t.name)).toContain('search_messages'));
    expect(registry.resolve('search_messages')?.tool.annotations).toMatchObject({ readOnlyHint: true });
    unregister();
    await vi.waitFor(() => expect(registry.tools().map((t) => t.name)).not.toContain('search_messages'));
  });

  it('refuses a second tool under a taken name', () => {
    let error: unknown;
    try {
      server.register(deleteFileTool(() => [root]));
    } catch (caught) {
      error = caught;
    }
    expect(isMcpError(error, 'BAD_SERVER')).toBe(true);
    expect((error as Error).message).toContain('delete_file');
  });

  it('validates arguments against the tool\'s schema', async () => {
    const result = await run('delete_file', { path: 7 });
    expect(result).toMatchObject({ isError: true, code: 'TOOL_FAILED' });
    expect(result.content).toMatch(/delete_file: .*Input validation error/);
  });

  it('passes the request\'s abort signal to the tool', async () => {
    let seen: AbortSignal | undefined;
    server.register({
      name: 'wait',
      title: 'Wait',
      description: 'waits until cancelled',
      input: { ms: z.number() },
      readOnly: true,
      run: (_args, signal) =>
        new Promise((_resolve, reject) => {
          seen = signal;
          signal.addEventListener('abort', () => reject(new Error('stopped')));
        }),
    });
    await vi.waitFor(() => expect(registry.resolve('wait')).toBeDefined());
    const controller = new AbortController();
    const pending = registry.call({ id: 'w', name: 'wait', arguments: { ms: 1 } }, controller.signal);
    await vi.waitFor(() => expect(seen).toBeDefined());
    controller.abort();
    expect(await pending).toMatchObject({ code: 'CANCELLED' });
    await vi.waitFor(() => expect(seen!.aborted).toBe(true));
  });
});

describe('delete_file', () => {
  it('deletes a file, an empty folder, and a link (never its target)', async () => {
    writeFileSync(join(root, 'a.txt'), 'a');
    symlinkSync(join(root, 'a.txt'), join(root, 'alias.txt'));
    expect(await run('delete_file', { path: join(root, 'alias.txt') })).toEqual({ isError: false, content: `Deleted the symbolic link ${join(root, 'alias.txt')}` });
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('a');
    expect(await run('delete_file', { path: 'a.txt' })).toEqual({ isError: false, content: `Deleted the file ${join(root, 'a.txt')}` });
    expect(await run('delete_file', { path: join(root, 'sub') })).toEqual({ isError: false, content: `Deleted the empty folder ${join(root, 'sub')}` });
    expect(existsSync(join(root, 'a.txt')) || existsSync(join(root, 'sub'))).toBe(false);
  });

  it('refuses a folder with contents, and a root itself', async () => {
    writeFileSync(join(root, 'sub', 'keep.txt'), 'k');
    expect(await run('delete_file', { path: join(root, 'sub') })).toMatchObject({ isError: true, code: 'TOOL_FAILED', content: expect.stringContaining('not empty') });
    expect(await run('delete_file', { path: root })).toMatchObject({ isError: true, code: 'OUTSIDE_ROOTS', content: expect.stringContaining('one of the allowed folders itself') });
    expect(existsSync(join(root, 'sub', 'keep.txt'))).toBe(true);
  });

  it('reads the roots on every call', async () => {
    let roots = [root];
    const other = new LamaToolServer();
    const otherRegistry = new ToolRegistry();
    other.register(deleteFileTool(() => roots));
    await other.connect(otherRegistry);
    try {
      roots = [outside];
      writeFileSync(join(root, 'now-outside.txt'), 'x');
      expect((await otherRegistry.call({ id: 'x', name: 'delete_file', arguments: { path: join(root, 'now-outside.txt') } })).code).toBe('OUTSIDE_ROOTS');
      expect(existsSync(join(root, 'now-outside.txt'))).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('judges roots by where they really are, and reports roots that are gone', async () => {
    const alias = join(root, '..', 'root-alias');
    symlinkSync(root, alias);
    let roots = [alias];
    const other = new LamaToolServer();
    const otherRegistry = new ToolRegistry();
    other.register(deleteFileTool(() => roots));
    await other.connect(otherRegistry);
    try {
      writeFileSync(join(root, 'a.txt'), 'a');
      expect((await otherRegistry.call({ id: 'x', name: 'delete_file', arguments: { path: join(root, 'a.txt') } })).isError).toBe(false);
      roots = [join(root, 'gone')];
      writeFileSync(join(root, 'b.txt'), 'b');
      const result = await otherRegistry.call({ id: 'y', name: 'delete_file', arguments: { path: join(root, 'b.txt') } });
      expect(result).toMatchObject({ isError: true, code: 'BAD_ROOTS', content: expect.stringContaining('does not exist') });
      expect(existsSync(join(root, 'b.txt'))).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('touches nothing outside the roots, however the path gets there', async () => {
    symlinkSync(join(outside, 'sentinel.txt'), join(root, 'escape.txt'));
    symlinkSync(outside, join(root, 'escape-dir'));
    const attempts = [
      join(outside, 'sentinel.txt'),
      join(root, '..', 'outside', 'sentinel.txt'),
      '../outside/sentinel.txt',
      join(root, 'escape-dir', 'sentinel.txt'),
      join(root, 'escape.txt'),
      join(root, 'escape-dir'),
      outside,
    ];
    for (const path of attempts) {
      const result = await run('delete_file', { path });
      expect(result, path).toMatchObject({ isError: true, code: 'OUTSIDE_ROOTS' });
      expect(result.content, path).toMatch(/^delete_file: access denied/);
    }
    expect(readFileSync(join(outside, 'sentinel.txt'), 'utf8')).toBe('sentinel');
  });
});

describe('search_messages', () => {
  it('lists what the provided search finds, within the limit asked for', async () => {
    const asked: { query: string; limit: number }[] = [];
    const search: MessageSearch = async (query, { limit }) => {
      asked.push({ query, limit });
      return Array.from({ length: 12 }, (_, i) => ({ topic: 'Holidays', author: 'Ada', sentAt: Date.UTC(2026, 0, 2, 10, i), text: i === 0 ? 'l'.repeat(600) : `beach ${i}` }));
    };
    server.register(searchMessagesTool(search));
    await vi.waitFor(() => expect(registry.resolve('search_messages')).toBeDefined());

    const result = await run('search_messages', { query: 'beach', limit: 2 });
    expect(asked).toEqual([{ query: 'beach', limit: 2 }]);
    expect(result).toEqual({
      isError: false,
      content: `2 messages match "beach":\n[2026-01-02T10:00:00.000Z] Ada in "Holidays": ${'l'.repeat(500)}…\n[2026-01-02T10:01:00.000Z] Ada in "Holidays": beach 1`,
    });
    await run('search_messages', { query: 'beach' });
    expect(asked[1]).toEqual({ query: 'beach', limit: 10 });
  });

  it('says when nothing matches, and refuses an empty query or too many hits', async () => {
    server.register(searchMessagesTool(async () => []));
    await vi.waitFor(() => expect(registry.resolve('search_messages')).toBeDefined());
    expect(await run('search_messages', { query: 'zebra' })).toEqual({ isError: false, content: 'No messages match "zebra".' });
    expect((await run('search_messages', { query: '' })).code).toBe('TOOL_FAILED');
    expect((await run('search_messages', { query: 'x', limit: 500 })).code).toBe('TOOL_FAILED');
  });

  it('turns a failing search into a tool error', async () => {
    server.register(
      searchMessagesTool(async () => {
        throw new Error('the chat index is still being built');
      }),
    );
    await vi.waitFor(() => expect(registry.resolve('search_messages')).toBeDefined());
    expect(await run('search_messages', { query: 'x' })).toEqual({ isError: true, code: 'TOOL_FAILED', content: 'search_messages: the chat index is still being built' });
  });
});
