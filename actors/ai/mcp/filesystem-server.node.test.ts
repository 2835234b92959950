import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { mcpServerMachine, type McpServerStatus } from '../../../machines/mcp-server.ts';
import { MemoryApprovalStore } from './approval-store.ts';
import { deleteFileTool } from './delete-file-tool.node.ts';
import { FILESYSTEM_SERVER_ID, filesystemProcessActor, MAX_READ_BYTES } from './filesystem-server.node.ts';
import { LamaToolServer } from './lama-tool-server.ts';
import { McpTools } from './mcp-tools.ts';
import { ToolRegistry, type RegistryLimits } from './tool-registry.ts';
import { MAX_RESULT_CHARS } from './tool-result.ts';

/**
 * The real @modelcontextprotocol/server-filesystem, started from node_modules by the mcp-server
 * machine, next to LAMA's own tool server — the way the host runs them (specs/mcp.md).
 */

const base = realpathSync(mkdtempSync(join(tmpdir(), 'lama-mcp-fs-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let fixtures = 0;

/** base/N/root (the root) beside base/N/outside (a sentinel file the tools must never touch). */
function folders() {
  const dir = join(base, String(++fixtures));
  const root = join(dir, 'root');
  const outside = join(dir, 'outside');
  mkdirSync(join(root, 'docs'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'docs', 'hello.txt'), 'hello world\n');
  writeFileSync(join(outside, 'sentinel.txt'), 'SENTINEL');
  return { root, outside, sentinel: join(outside, 'sentinel.txt') };
}

/** The filesystem server under its machine and LAMA's tool server, both in one registry, as the host wires them. */
async function startTools(roots: string[], limits: Partial<RegistryLimits> = {}, maxRestarts = 3) {
  const registry = new ToolRegistry(limits);
  const lama = new LamaToolServer();
  let allowed = roots;
  lama.register(deleteFileTool(() => allowed));
  await lama.connect(registry);
  const server = createActor(mcpServerMachine.provide({ actors: { process: filesystemProcessActor(registry) } }), {
    input: { serverId: FILESYSTEM_SERVER_ID, roots, maxRestarts },
  });
  const statuses: McpServerStatus[] = [];
  server.on('mcp.status', (status) => statuses.push(status));
  server.start();
  server.send({ type: 'mcp.start' });
  await waitFor(server, (s) => s.matches({ running: 'ready' }) || s.matches('failed'), { timeout: 10_000 });
  const tools = await McpTools.open(registry, new MemoryApprovalStore());
  let id = 0;
  return {
    registry,
    tools,
    server,
    statuses,
    pid: () => server.getSnapshot().context.pid!,
    /** Straight to the registry: past the approval policy, so the server's own confinement is what is tested. */
    call: (name: string, args: Record<string, unknown>) => registry.call({ id: `c${++id}`, name, arguments: args }),
    reroot: (next: string[]) => {
      allowed = next;
      server.send({ type: 'mcp.configure', roots: next });
    },
    stop: async () => {
      server.stop();
      await lama.close();
    },
  };
}

type Tools = Awaited<ReturnType<typeof startTools>>;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the filesystem server as the AI\'s tools', () => {
  let t: Tools;
  let root: string;
  let outside: string;
  let sentinel: string;
  beforeAll(async () => {
    ({ root, outside, sentinel } = folders());
    t = await startTools([root]);
  });
  afterAll(() => t.stop());

  it('offers the seed\'s six tools and the others under the names the model sees', () => {
    const names = t.tools.tools().map((tool) => tool.name);
    expect(names.sort()).toEqual(
      ['create_directory', 'delete_file', 'edit_file', 'get_file_info', 'list_allowed_directories', 'list_directory', 'move_file', 'read_file', 'search_files', 'write_file'].sort(),
    );
    const read = t.tools.tools().find((tool) => tool.name === 'read_file')!;
    expect(read.description).toContain(`Files over ${MAX_READ_BYTES.toLocaleString('en')} bytes can only be read in part`);
    expect(read.inputSchema).toMatchObject({ type: 'object', required: ['path'] });
    expect(read.inputSchema).not.toHaveProperty('$schema');
  });

  it('reads, lists and inspects without asking; asks before writing, creating, moving and deleting', async () => {
    const ask = (name: string, args: Record<string, unknown>) => t.tools.needsApproval({ id: 'x', name, arguments: args }).decision;
    expect(ask('read_file', { path: 'docs/hello.txt' })).toBe('run');
    expect(ask('list_directory', { path: root })).toBe('run');
    expect(ask('get_file_info', { path: root })).toBe('run');
    for (const name of ['write_file', 'edit_file', 'create_directory', 'move_file', 'delete_file']) expect(ask(name, {}), name).toBe('ask');
  });

  it('runs the whole file round trip through approvals', async () => {
    const steps: [string, Record<string, unknown>, RegExp][] = [
      ['create_directory', { path: join(root, 'work') }, /Successfully created directory/],
      ['write_file', { path: join(root, 'work', 'a.txt'), content: 'first draft' }, /Successfully wrote/],
      ['read_file', { path: join(root, 'work', 'a.txt') }, /^first draft$/],
      ['edit_file', { path: join(root, 'work', 'a.txt'), edits: [{ oldText: 'first', newText: 'second' }] }, /-first draft[\s\S]*\+second draft/],
      ['list_directory', { path: join(root, 'work') }, /^\[FILE\] a\.txt$/],
      ['move_file', { source: join(root, 'work', 'a.txt'), destination: join(root, 'work', 'b.txt') }, /Successfully moved/],
      ['read_file', { path: 'work/b.txt' }, /^second draft$/],
      ['delete_file', { path: join(root, 'work', 'b.txt') }, /Deleted the file/],
      ['delete_file', { path: join(root, 'work') }, /Deleted the empty folder/],
    ];
    for (const [name, args, expected] of steps) {
      const call = { id: `round-${name}-${Math.random()}`, name, arguments: args };
      if (t.tools.needsApproval(call).decision === 'ask') await t.tools.remember({ call, choice: 'allowOnce' });
      const result = await t.tools.execute(call);
      expect(result.isError, `${name}: ${result.content}`).toBe(false);
      expect(result.content).toMatch(expected);
    }
    expect(readdirSync(root)).toEqual(['docs']);
  });

  it('refuses binary files', async () => {
    writeFileSync(join(root, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe]));
    const result = await t.call('read_file', { path: join(root, 'image.png') });
    expect(result).toMatchObject({ isError: true, code: 'BINARY' });
    expect(result.content).toBe('read_file: the file or result is binary content, not text; LAMA passes only text to the model');
  });

  it('cuts a large file at the result limit, and says so', async () => {
    writeFileSync(join(root, 'large.txt'), 'line of text\n'.repeat(10_000)); // 130,000 bytes
    const result = await t.call('read_file', { path: join(root, 'large.txt') });
    expect(result.isError).toBe(false);
    expect(result.content.startsWith('line of text\n'.repeat(100))).toBe(true);
    expect(result.content).toContain(`[LAMA cut this result: it has 130,000 characters and tool results are limited to ${MAX_RESULT_CHARS.toLocaleString('en')}`);
  });

  it('refuses to read a huge file whole, and reads part of it with head', async () => {
    writeFileSync(join(root, 'huge.log'), 'x'.repeat(99) + '\n'.repeat(1) + 'y'.repeat(MAX_READ_BYTES));
    const result = await t.call('read_file', { path: join(root, 'huge.log') });
    expect(result).toMatchObject({ isError: true, code: 'TOO_LARGE' });
    expect(result.content).toContain(`has 1,048,676 bytes, and whole files are read only up to ${MAX_READ_BYTES.toLocaleString('en')} bytes`);
    expect(await t.call('read_file', { path: join(root, 'huge.log'), head: 1 })).toEqual({ isError: false, content: 'x'.repeat(99) });
  });

  it('says a folder is not a file', async () => {
    expect(await t.call('read_file', { path: join(root, 'docs') })).toMatchObject({ isError: true, code: 'TOOL_FAILED', content: expect.stringContaining('is a folder; use list_directory') });
  });

  it('passes the server\'s own errors on: missing files, bad arguments', async () => {
    expect(await t.call('read_file', { path: join(root, 'missing.txt') })).toMatchObject({ isError: true, code: 'TOOL_FAILED', content: expect.stringContaining('missing.txt') });
    expect(await t.call('write_file', { path: join(root, 'x.txt') })).toMatchObject({ isError: true, code: 'TOOL_FAILED', content: expect.stringContaining('Input validation error') });
  });

  it('touches nothing outside the roots through any tool, by path, .. or symbolic link', async () => {
    symlinkSync(sentinel, join(root, 'link-to-sentinel.txt'));
    symlinkSync(outside, join(root, 'link-to-outside'));
    const through = ['link-to-outside', 'sentinel.txt'];
    const dotdot = join(root, '..', 'outside', 'sentinel.txt');
    const targets = [sentinel, dotdot, '../outside/sentinel.txt', join(root, 'link-to-sentinel.txt'), join(root, ...through)];
    const attempts: [string, Record<string, unknown>][] = [];
    for (const path of targets) {
      attempts.push(
        ['read_file', { path }],
        ['read_file', { path, head: 1 }],
        ['write_file', { path, content: 'overwritten' }],
        ['edit_file', { path, edits: [{ oldText: 'SENTINEL', newText: 'edited' }] }],
        ['get_file_info', { path }],
        ['delete_file', { path }],
        ['move_file', { source: path, destination: join(root, 'stolen.txt') }],
        ['move_file', { source: join(root, 'docs', 'hello.txt'), destination: path }],
      );
    }
    for (const dir of [outside, join(root, 'link-to-outside'), join(root, '..', 'outside')]) {
      attempts.push(
        ['list_directory', { path: dir }],
        ['search_files', { path: dir, pattern: '*' }],
        ['create_directory', { path: join(dir, 'planted') }],
        ['write_file', { path: join(dir, 'planted.txt'), content: 'x' }],
        ['delete_file', { path: dir }],
      );
    }
    for (const [name, args] of attempts) {
      const result = await t.call(name, args);
      expect(result.isError, `${name} ${JSON.stringify(args)} → ${result.content}`).toBe(true);
      expect(result.content, `${name} ${JSON.stringify(args)}`).toMatch(/access denied/i);
    }
    expect(readFileSync(sentinel, 'utf8')).toBe('SENTINEL');
    expect(readdirSync(outside)).toEqual(['sentinel.txt']);
    expect(readFileSync(join(root, 'docs', 'hello.txt'), 'utf8')).toBe('hello world\n');
  });
});

describe('the filesystem server process', () => {
  let t: Tools | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('restarts after being killed, and later calls work again', async () => {
    const { root } = folders();
    t = await startTools([root]);
    const first = t.pid();
    process.kill(first, 'SIGKILL');
    await waitFor(t.server, (s) => s.matches('backingOff'), { timeout: 5_000 });
    const down = await t.call('read_file', { path: join(root, 'docs', 'hello.txt') });
    expect(down).toMatchObject({ isError: true, code: 'SERVER_UNAVAILABLE' });
    expect(down.content).toContain('the filesystem tool server is not running (it ended unexpectedly)');
    expect(t.tools.tools().map((tool) => tool.name)).toEqual(['delete_file']);

    await waitFor(t.server, (s) => s.matches({ running: 'ready' }), { timeout: 10_000 });
    expect(t.pid()).not.toBe(first);
    expect(await t.call('read_file', { path: join(root, 'docs', 'hello.txt') })).toEqual({ isError: false, content: 'hello world\n' });
    expect(t.statuses.map((s) => s.state)).toEqual(['stopped', 'starting', 'ready', 'backingOff', 'starting', 'ready']);
    expect(t.statuses.at(-1)).toMatchObject({ restarts: 1, lastError: expect.stringContaining('the filesystem server ended unexpectedly') });
  });

  it('gives a call in flight during a crash a clear tool error', async () => {
    const { root } = folders();
    t = await startTools([root]);
    const pid = t.pid();
    process.kill(pid, 'SIGSTOP'); // the request is sent, and stays unanswered
    const pending = t.call('write_file', { path: join(root, 'new.txt'), content: 'x' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.kill(pid, 'SIGKILL');
    const result = await pending;
    expect(result).toMatchObject({ isError: true, code: 'SERVER_CRASHED' });
    expect(result.content).toBe(
      'write_file: the filesystem tool server stopped while running this call, so it may or may not have taken effect; LAMA restarts the server, so try again in a moment',
    );
    await waitFor(t.server, (s) => s.matches({ running: 'ready' }), { timeout: 10_000 });
  });

  it('times out a call the server does not answer', async () => {
    const { root } = folders();
    t = await startTools([root], { timeoutMs: 300 });
    const pid = t.pid();
    process.kill(pid, 'SIGSTOP');
    try {
      const result = await t.call('list_directory', { path: root });
      expect(result).toEqual({ isError: true, code: 'TIMEOUT', content: 'list_directory: no answer from the filesystem tool server within 0.3 s' });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect((await t.call('list_directory', { path: root })).isError).toBe(false);
  });

  it('moves to new roots with a new process, confined to them', async () => {
    const first = folders();
    const second = folders();
    t = await startTools([first.root]);
    const before = t.pid();
    t.reroot([second.root]);
    await waitFor(t.server, (s) => s.matches({ running: 'ready' }) && s.context.pid !== before, { timeout: 10_000 });
    await expect.poll(() => alive(before)).toBe(false);
    expect((await t.call('read_file', { path: join(second.root, 'docs', 'hello.txt') })).isError).toBe(false);
    expect(await t.call('read_file', { path: join(first.root, 'docs', 'hello.txt') })).toMatchObject({ isError: true, content: expect.stringContaining('Access denied') });
    expect(await t.call('delete_file', { path: join(first.root, 'docs', 'hello.txt') })).toMatchObject({ isError: true, code: 'OUTSIDE_ROOTS' });
    expect(statSync(join(first.root, 'docs', 'hello.txt')).isFile()).toBe(true);
  });

  it('ends the process when stopped', async () => {
    const { root } = folders();
    t = await startTools([root]);
    const pid = t.pid();
    t.server.send({ type: 'mcp.stop' });
    await expect.poll(() => alive(pid), { timeout: 5_000 }).toBe(false);
    expect((await t.call('read_file', { path: join(root, 'docs', 'hello.txt') })).code).toBe('SERVER_UNAVAILABLE');
  });

  it('fails with the reason when the roots are not folders', async () => {
    t = await startTools([join(base, 'no-such-folder')], {}, 0);
    expect(t.server.getSnapshot().value).toBe('failed');
    expect(t.statuses.at(-1)).toMatchObject({ state: 'failed', lastError: expect.stringContaining('no-such-folder: does not exist') });
  });
});
