import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createActor, waitFor } from 'xstate';
import { MemoryApprovalStore } from '../../actors/ai/mcp/approval-store.ts';
import { FILESYSTEM_SERVER_ID, filesystemProcessActor } from '../../actors/ai/mcp/filesystem-server.node.ts';
import { McpTools } from '../../actors/ai/mcp/mcp-tools.ts';
import { ToolRegistry } from '../../actors/ai/mcp/tool-registry.ts';
import { mcpServerMachine } from '../../machines/mcp-server.ts';

/**
 * read_file as the model's tool loop runs it — McpTools.execute → the registry → the real
 * @modelcontextprotocol/server-filesystem over stdio (a size check, then the read) — against
 * fs.readFile of the same 4 KiB file, in the same run. The two are measured alternately, one read
 * each in turn, so load from other processes on these shared machines falls on both alike.
 *
 * Figures:
 * - mcp_read_p50_ms: median of READS reads through the server (goal < 5 ms: negligible next to a
 *   model's answer).
 * - fs_read_p50_ms: median of the same reads with fs.readFile, the floor.
 * - mcp_read_overhead_ms: the difference — what going through MCP costs a read.
 * - mcp_start_ms: mcp.start to ready (spawn Node, load the server, MCP handshake, tools/list),
 *   median of STARTS.
 */

const READS = 100;
const WARMUP = 20;
const STARTS = 3;
const FILE_BYTES = 4_096;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function startServer(registry: ToolRegistry, root: string) {
  const server = createActor(mcpServerMachine.provide({ actors: { process: filesystemProcessActor(registry) } }), {
    input: { serverId: FILESYSTEM_SERVER_ID, roots: [root] },
  }).start();
  const started = performance.now();
  server.send({ type: 'mcp.start' });
  await waitFor(server, (s) => s.matches({ running: 'ready' }), { timeout: 30_000 });
  return { server, ms: performance.now() - started };
}

export default async function bench(): Promise<Record<string, number>> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'lama-mcp-bench-')));
  const file = join(root, 'notes.txt');
  writeFileSync(file, 'The quick brown fox jumps over the lazy dog.\n'.repeat(Math.ceil(FILE_BYTES / 45)).slice(0, FILE_BYTES));
  try {
    const startTimes: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const { server, ms } = await startServer(new ToolRegistry(), root);
      startTimes.push(ms);
      server.stop();
    }

    const registry = new ToolRegistry();
    const { server } = await startServer(registry, root);
    try {
      const tools = await McpTools.open(registry, new MemoryApprovalStore());
      const call = { id: 'bench', name: 'read_file', arguments: { path: file } };
      const viaMcp: number[] = [];
      const viaFs: number[] = [];
      for (let i = 0; i < WARMUP + READS; i++) {
        let started = performance.now();
        const result = await tools.execute(call);
        const mcpMs = performance.now() - started;
        if (result.isError || result.content.length !== FILE_BYTES) throw new Error(`read_file failed: ${result.content.slice(0, 200)}`);
        started = performance.now();
        await readFile(file, 'utf8');
        const fsMs = performance.now() - started;
        if (i >= WARMUP) {
          viaMcp.push(mcpMs);
          viaFs.push(fsMs);
        }
      }
      const mcp = median(viaMcp);
      const fs = median(viaFs);
      return { mcp_read_p50_ms: mcp, fs_read_p50_ms: fs, mcp_read_overhead_ms: mcp - fs, mcp_start_ms: median(startTimes) };
    } finally {
      server.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
