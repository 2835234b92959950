import { describe, expect, it } from 'vitest';
import { FakeConnection, fakeTool } from './fake-connection.ts';
import { toolError } from './mcp-error.ts';
import { ToolRegistry } from './tool-registry.ts';

const tool = fakeTool;

const call = (name: string, args: unknown = {}) => ({ id: 'c1', name, arguments: args as Record<string, unknown> });

/** An error as the SDK rejects with: an Error carrying a JSON-RPC code. */
const rpcError = (code: number, message: string) => Object.assign(new Error(message), { code });

describe('ToolRegistry', () => {
  it('offers the tools of attached servers, without $schema', () => {
    const registry = new ToolRegistry();
    registry.attach('lama', new FakeConnection(), [tool('delete_file')]);
    expect(registry.tools()).toEqual([{ name: 'delete_file', description: 'does delete_file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }]);
  });

  it('offers only what a profile exposes, under the names it gives, with its notes', () => {
    const registry = new ToolRegistry();
    registry.attach('filesystem', new FakeConnection(), [tool('read_file'), tool('read_text_file'), tool('read_media_file'), tool('constructor')], {
      expose: { read_text_file: 'read_file' },
      describe: { read_text_file: 'Big files are refused.' },
    });
    expect(registry.tools().map((t) => [t.name, t.description])).toEqual([['read_file', 'does read_text_file Big files are refused.']]);
    expect(registry.resolve('read_file')).toMatchObject({ serverId: 'filesystem', tool: { name: 'read_text_file' }, available: true });
  });

  it('routes a call to the server tool behind the model-facing name', async () => {
    const registry = new ToolRegistry({ timeoutMs: 1234 });
    const fs = new FakeConnection();
    registry.attach('filesystem', fs, [tool('read_text_file')], { expose: { read_text_file: 'read_file' } });
    expect(await registry.call(call('read_file', { path: 'a.txt' }))).toEqual({ content: 'ran read_text_file', isError: false });
    expect(fs.calls).toEqual([{ name: 'read_text_file', arguments: { path: 'a.txt' }, timeout: 1234 }]);
  });

  it('namespaces clashing names across servers and routes each to its own server', async () => {
    const registry = new ToolRegistry();
    const a = new FakeConnection();
    const b = new FakeConnection();
    registry.attach('filesystem', a, [tool('search'), tool('read')]);
    expect(registry.tools().map((t) => t.name)).toEqual(['search', 'read']);
    registry.attach('lama', b, [tool('search')]);
    expect(registry.tools().map((t) => t.name).sort()).toEqual(['filesystem__search', 'lama__search', 'read']);
    await registry.call(call('lama__search'));
    await registry.call(call('filesystem__search'));
    expect([a.calls.map((c) => c.name), b.calls.map((c) => c.name)]).toEqual([['search'], ['search']]);
    expect((await registry.call(call('search'))).code).toBe('UNKNOWN_TOOL');
  });

  it('refuses a bad server id', () => {
    expect(() => new ToolRegistry().attach('Bad_Id', new FakeConnection(), [])).toThrow(/must match/);
  });

  it('answers an unknown name with the tools there are', async () => {
    const registry = new ToolRegistry();
    registry.attach('lama', new FakeConnection(), [tool('delete_file')]);
    const result = await registry.call(call('rm_rf'));
    expect(result).toMatchObject({ isError: true, code: 'UNKNOWN_TOOL' });
    expect(result.content).toBe('there is no tool named "rm_rf"; the tools are: delete_file');
  });

  it.each([
    ['null', null, 'null'],
    ['an array', ['a'], 'an array'],
    ['a string', '{"path":"a"}', 'string'],
  ])('refuses arguments that are %s, calling nothing', async (_what, args, named) => {
    const registry = new ToolRegistry();
    const fs = new FakeConnection();
    registry.attach('filesystem', fs, [tool('read')]);
    const result = await registry.call(call('read', args));
    expect(result).toMatchObject({ isError: true, code: 'BAD_ARGUMENTS' });
    expect(result.content).toContain(named);
    expect(fs.calls).toEqual([]);
  });

  it('keeps a stopped server\'s names, says it is not running, and offers its tools again once back', async () => {
    const registry = new ToolRegistry();
    const first = new FakeConnection();
    registry.attach('filesystem', first, [tool('read')]);
    registry.detach('filesystem', 'it ended unexpectedly');
    expect(registry.tools()).toEqual([]);
    expect(registry.resolve('read')?.available).toBe(false);
    const result = await registry.call(call('read'));
    expect(result).toMatchObject({ isError: true, code: 'SERVER_UNAVAILABLE' });
    expect(result.content).toContain('not running (it ended unexpectedly)');

    const second = new FakeConnection();
    registry.attach('filesystem', second, [tool('read')]);
    // A late close of the first run must not take down the second.
    registry.detach('filesystem', 'late', first);
    expect((await registry.call(call('read'))).isError).toBe(false);
    expect(second.calls).toHaveLength(1);
  });

  it('forgets a removed server', async () => {
    const registry = new ToolRegistry();
    registry.attach('lama', new FakeConnection(), [tool('x')]);
    registry.remove('lama');
    expect((await registry.call(call('x'))).code).toBe('UNKNOWN_TOOL');
  });

  it('tells listeners when the list changes', () => {
    const registry = new ToolRegistry();
    let changes = 0;
    const off = registry.onChange(() => changes++);
    registry.attach('lama', new FakeConnection(), [tool('x')]);
    registry.updateTools('lama', [tool('x'), tool('y')]);
    expect(registry.tools().map((t) => t.name)).toEqual(['x', 'y']);
    off();
    registry.detach('lama', 'stopped');
    expect(changes).toBe(2);
  });

  it('turns a connection closed mid-call into SERVER_CRASHED, saying the call may have taken effect', async () => {
    const registry = new ToolRegistry();
    const fs = new FakeConnection();
    fs.answer = async () => {
      throw rpcError(-32000, 'MCP error -32000: Connection closed');
    };
    registry.attach('filesystem', fs, [tool('write')]);
    const result = await registry.call(call('write'));
    expect(result).toMatchObject({ isError: true, code: 'SERVER_CRASHED' });
    expect(result.content).toContain('may or may not have taken effect');
  });

  it('turns the SDK\'s timeout into TIMEOUT naming the limit', async () => {
    const registry = new ToolRegistry({ timeoutMs: 2_000 });
    const fs = new FakeConnection();
    fs.answer = async () => {
      throw rpcError(-32001, 'MCP error -32001: Request timed out');
    };
    registry.attach('filesystem', fs, [tool('read')]);
    const result = await registry.call(call('read'));
    expect(result).toEqual({ isError: true, code: 'TIMEOUT', content: 'read: no answer from the filesystem tool server within 2 s' });
  });

  it('reports a call the caller aborted as CANCELLED, even though the SDK words it as a timeout', async () => {
    const registry = new ToolRegistry();
    const fs = new FakeConnection();
    fs.answer = (_name, _args, signal) =>
      new Promise((_resolve, reject) => {
        const fail = () => reject(rpcError(-32001, 'MCP error -32001: AbortError'));
        if (signal!.aborted) fail();
        else signal!.addEventListener('abort', fail);
      });
    registry.attach('filesystem', fs, [tool('read')]);
    const controller = new AbortController();
    const pending = registry.call(call('read'), controller.signal);
    controller.abort();
    expect(await pending).toMatchObject({ isError: true, code: 'CANCELLED' });
    // Already aborted: nothing is sent.
    expect(await registry.call(call('read'), controller.signal)).toMatchObject({ code: 'CANCELLED' });
    expect(fs.calls).toHaveLength(1);
  });

  it('passes on any other failure as TOOL_FAILED with its message', async () => {
    const registry = new ToolRegistry();
    const fs = new FakeConnection();
    fs.answer = async () => ({ content: 'not a list' });
    registry.attach('filesystem', fs, [tool('read')]);
    expect(await registry.call(call('read'))).toMatchObject({ code: 'TOOL_FAILED' });
    fs.answer = async () => {
      throw new Error('pipe burst');
    };
    expect(await registry.call(call('read'))).toEqual({ isError: true, code: 'TOOL_FAILED', content: 'read: pipe burst' });
  });

  it('lets a profile\'s preflight refuse a call before it reaches the server', async () => {
    const registry = new ToolRegistry();
    const fs = new FakeConnection();
    registry.attach('filesystem', fs, [tool('read')], {
      preflight: async ({ args }) => (args.path === 'huge' ? toolError('TOO_LARGE', 'read: too large') : undefined),
    });
    expect(await registry.call(call('read', { path: 'huge' }))).toMatchObject({ code: 'TOO_LARGE' });
    expect(fs.calls).toEqual([]);
    expect((await registry.call(call('read', { path: 'small' }))).isError).toBe(false);
  });

  it('holds the preflight and the call to one deadline', async () => {
    const registry = new ToolRegistry({ timeoutMs: 50 });
    const fs = new FakeConnection();
    registry.attach('filesystem', fs, [tool('read')], {
      // A preflight that never answers by itself: only the deadline ends it.
      preflight: ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    });
    expect(await registry.call(call('read'))).toEqual({ isError: true, code: 'TIMEOUT', content: 'read: no answer from the filesystem tool server within 0.05 s' });
    expect(fs.calls).toEqual([]);
  });

  it('cuts a huge result at its limit', async () => {
    const registry = new ToolRegistry({ maxResultChars: 100 });
    const fs = new FakeConnection();
    fs.answer = async () => ({ content: [{ type: 'text', text: 'z'.repeat(10_000) }] });
    registry.attach('filesystem', fs, [tool('read')]);
    const result = await registry.call(call('read'));
    expect(result.content.startsWith(`${'z'.repeat(100)}\n\n[LAMA cut this result: it has 10,000 characters`)).toBe(true);
  });
});
