import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../store/memory-storage.ts';
import { APPROVALS_SECRET, MemoryApprovalStore, SecretApprovalStore, type ApprovalStore } from './approval-store.ts';
import { FakeConnection, fakeTool } from './fake-connection.ts';
import { isMcpError } from './mcp-error.ts';
import { McpTools } from './mcp-tools.ts';
import { ToolRegistry } from './tool-registry.ts';

const READ = { readOnlyHint: true };
const WRITE = { readOnlyHint: false, destructiveHint: true };
const CREATE = { readOnlyHint: false, destructiveHint: false };

async function setup(store: ApprovalStore = new MemoryApprovalStore()) {
  const registry = new ToolRegistry();
  const fs = new FakeConnection();
  registry.attach(
    'filesystem',
    fs,
    [
      fakeTool('read_text_file', { annotations: READ }),
      fakeTool('write_file', { annotations: { ...WRITE, title: 'Write File' } }),
      fakeTool('create_directory', { annotations: CREATE }),
      fakeTool('unannotated'),
    ],
    { expose: { read_text_file: 'read_file', write_file: 'write_file', create_directory: 'create_directory', unannotated: 'unannotated' } },
  );
  const tools = await McpTools.open(registry, store);
  return { registry, fs, tools, store };
}

let nextId = 0;
const call = (name: string, args: Record<string, unknown> = { path: 'a.txt' }) => ({ id: `call-${++nextId}`, name, arguments: args });

describe('McpTools', () => {
  it('lists the registry\'s tools for the prompt', async () => {
    const { tools } = await setup();
    expect(tools.tools().map((t) => t.name)).toEqual(['read_file', 'write_file', 'create_directory', 'unannotated']);
  });

  it('runs read-only tools without asking', async () => {
    const { tools, fs } = await setup();
    const read = call('read_file');
    expect(tools.needsApproval(read)).toMatchObject({ decision: 'run', serverId: 'filesystem', tool: 'read_text_file', destructive: false });
    expect(await tools.execute(read)).toEqual({ content: 'ran read_text_file', isError: false });
    expect(fs.calls).toHaveLength(1);
  });

  it('asks for every tool that is not read-only, and says what it may do', async () => {
    const { tools } = await setup();
    expect(tools.needsApproval(call('write_file'))).toEqual({
      decision: 'ask',
      serverId: 'filesystem',
      tool: 'write_file',
      title: 'Write File',
      destructive: true,
      reason: 'write_file can change files or data',
    });
    expect(tools.needsApproval(call('create_directory'))).toMatchObject({ decision: 'ask', destructive: false });
    expect(tools.needsApproval(call('unannotated'))).toMatchObject({ decision: 'ask', destructive: true });
  });

  it('never runs a tool that needs approval without one, whatever the caller does', async () => {
    const { tools, fs } = await setup();
    const result = await tools.execute(call('write_file'));
    expect(result).toMatchObject({ isError: true, code: 'APPROVAL_REQUIRED' });
    expect(fs.calls).toEqual([]);
  });

  it('allows once: that call runs, the next identical one asks again', async () => {
    const { tools, fs } = await setup();
    const first = call('write_file', { path: 'a.txt', content: 'x' });
    await tools.remember({ call: first, choice: 'allowOnce' });
    expect((await tools.execute(first)).isError).toBe(false);
    // The approval is spent: the same call id again, or a new call, is not approved.
    expect((await tools.execute(first)).code).toBe('APPROVAL_REQUIRED');
    expect((await tools.execute(call('write_file', { path: 'a.txt', content: 'x' }))).code).toBe('APPROVAL_REQUIRED');
    expect(tools.needsApproval(first).decision).toBe('ask');
    expect(fs.calls).toHaveLength(1);
  });

  it('holds an approval to the exact arguments the user saw', async () => {
    const { tools, fs } = await setup();
    const shown = call('write_file', { path: 'notes.txt', content: 'hello' });
    await tools.remember({ call: shown, choice: 'allowOnce' });
    const swapped = { ...shown, arguments: { path: '/etc/passwd', content: 'hello' } };
    expect((await tools.execute(swapped)).code).toBe('APPROVAL_REQUIRED');
    expect(fs.calls).toEqual([]);
    // Key order is not a difference.
    const reordered = call('write_file', { path: 'n', content: 'c' });
    await tools.remember({ call: reordered, choice: 'allowOnce' });
    expect((await tools.execute({ ...reordered, arguments: { content: 'c', path: 'n' } })).isError).toBe(false);
  });

  it('denies: the call ends in DENIED and nothing runs', async () => {
    const { tools, fs } = await setup();
    const write = call('write_file');
    await tools.remember({ call: write, choice: 'deny' });
    const result = await tools.execute(write);
    expect(result).toMatchObject({ isError: true, code: 'DENIED' });
    expect(result.content).toContain('the user declined this call');
    expect(fs.calls).toEqual([]);
  });

  it('always allow: this tool of this server runs from now on, and the policy is saved', async () => {
    const { tools, fs, store } = await setup();
    await tools.remember({ call: call('write_file'), choice: 'alwaysAllow' });
    const later = call('write_file', { path: 'b.txt', content: 'y' });
    expect(tools.needsApproval(later)).toMatchObject({ decision: 'run', reason: 'write_file is always allowed for the filesystem tool server' });
    expect((await tools.execute(later)).isError).toBe(false);
    expect(fs.calls).toHaveLength(1);
    // Other mutating tools still ask.
    expect(tools.needsApproval(call('create_directory')).decision).toBe('ask');
    expect(await store.load()).toEqual({ version: 1, servers: { filesystem: { allow: ['write_file'], ask: [], block: [] } } });
  });

  it('refuses a blocked tool, read-only or not, without asking', async () => {
    const { tools, fs } = await setup();
    await tools.setRule('filesystem', 'read_text_file', 'block');
    const read = call('read_file');
    expect(tools.needsApproval(read)).toMatchObject({ decision: 'refuse', reason: 'read_file is blocked for the filesystem tool server' });
    // Even an answer the loop should never have asked for does not unblock it.
    await tools.remember({ call: read, choice: 'allowOnce' });
    expect(await tools.execute(read)).toMatchObject({ isError: true, code: 'BLOCKED' });
    expect(fs.calls).toEqual([]);
  });

  it('asks for a read-only tool the user set to ask', async () => {
    const { tools } = await setup();
    await tools.setRule('filesystem', 'read_text_file', 'ask');
    expect(tools.needsApproval(call('read_file'))).toMatchObject({ decision: 'ask', reason: 'read_file is set to ask on every call' });
  });

  it('answers an unknown tool with refuse, and execute explains', async () => {
    const { tools } = await setup();
    expect(tools.needsApproval(call('format_disk'))).toMatchObject({ decision: 'refuse', reason: 'there is no tool named "format_disk"' });
    expect((await tools.execute(call('format_disk'))).code).toBe('UNKNOWN_TOOL');
    await expect(tools.remember({ call: call('format_disk'), choice: 'alwaysAllow' })).rejects.toThrow(/no tool server offers it/);
  });

  it('keeps "always allow" in the store\'s secret, where a new session finds it', async () => {
    const adapter = new MemoryStorage();
    const first = await setup(new SecretApprovalStore(adapter));
    await first.tools.remember({ call: call('write_file'), choice: 'alwaysAllow' });
    const second = await setup(new SecretApprovalStore(adapter));
    expect(second.tools.needsApproval(call('write_file')).decision).toBe('run');
  });

  it('refuses to open over an unreadable stored policy, and leaves it as it is', async () => {
    const adapter = new MemoryStorage();
    const bytes = new TextEncoder().encode('{"version":7}');
    await adapter.write({ secrets: [{ name: APPROVALS_SECRET, value: bytes }] });
    const error = await setup(new SecretApprovalStore(adapter)).catch((caught: unknown) => caught);
    expect(isMcpError(error, 'BAD_POLICY')).toBe(true);
    expect((error as Error).message).toContain('version 7');
    expect(await adapter.getSecret(APPROVALS_SECRET)).toEqual(bytes);
  });

  it('saves policies in the order they were made', async () => {
    const saved: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const store = new MemoryApprovalStore();
    const slowFirst: ApprovalStore = {
      load: () => store.load(),
      save: async (policy) => {
        if (saved.length === 0) await gate;
        saved.push([...(policy.servers.filesystem?.allow ?? [])]);
      },
    };
    const { tools } = await setup(slowFirst);
    const a = tools.setRule('filesystem', 'write_file', 'allow');
    const b = tools.setRule('filesystem', 'create_directory', 'allow');
    release();
    await Promise.all([a, b]);
    expect(saved).toEqual([['write_file'], ['write_file', 'create_directory']]);
  });
});
