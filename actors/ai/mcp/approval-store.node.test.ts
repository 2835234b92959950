import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../store/sqlite-storage.node.ts';
import { SecretApprovalStore } from './approval-store.ts';
import { FakeConnection, fakeTool } from './fake-connection.ts';
import { McpTools } from './mcp-tools.ts';
import { ToolRegistry } from './tool-registry.ts';

/** A LAMA session's tool side over the archive in `dir`: the registry with one write tool, and the policy from the store. */
async function session(dir: string) {
  const adapter = await SqliteStorage.open(dir);
  const registry = new ToolRegistry();
  registry.attach('filesystem', new FakeConnection(), [fakeTool('write_file', { annotations: { readOnlyHint: false, destructiveHint: true } })]);
  return { adapter, tools: await McpTools.open(registry, new SecretApprovalStore(adapter)) };
}

describe('SecretApprovalStore over the SQLite archive', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('"always allow" survives a restart; "allow once" does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lama-mcp-policy-'));
    dirs.push(dir);
    const write = (id: string) => ({ id, name: 'write_file', arguments: { path: 'a.txt', content: 'x' } });

    const first = await session(dir);
    expect(first.tools.needsApproval(write('1')).decision).toBe('ask');
    await first.tools.remember({ call: write('1'), choice: 'allowOnce' });
    await first.tools.remember({ call: write('2'), choice: 'alwaysAllow' });
    await first.adapter.close();

    const second = await session(dir);
    try {
      expect(second.tools.needsApproval(write('3')).decision).toBe('run');
      expect(second.tools.policy).toEqual({ version: 1, servers: { filesystem: { allow: ['write_file'], ask: [], block: [] } } });
      // Back to asking, and that too is kept.
      await second.tools.setRule('filesystem', 'write_file', null);
    } finally {
      await second.adapter.close();
    }
    const third = await session(dir);
    try {
      expect(third.tools.needsApproval(write('4')).decision).toBe('ask');
      // The first session's one-time approval of call 1 was never executed, and did not outlive it.
      expect((await third.tools.execute(write('1'))).code).toBe('APPROVAL_REQUIRED');
    } finally {
      await third.adapter.close();
    }
  });
});
