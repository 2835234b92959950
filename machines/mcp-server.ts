import { assign, emit, fromCallback, setup } from 'xstate';
import { notProvided } from './not-provided.ts';

/**
 * One MCP server process's lifecycle (specs/mcp.md §2) — the filesystem server today:
 *
 *   stopped ──mcp.start──▶ running.starting ──server.ready──▶ running.ready
 *   running ── server.exited / process actor error ──▶ crashed
 *   crashed ──(restarts left)──▶ backingOff ──backoff──▶ running.starting
 *           └─(none left)─────▶ failed ──mcp.start──▶ running (the user retries)
 *   mcp.configure (new roots) while running restarts the process with them; mcp.stop stops it.
 *
 * The process is the invoked `process` actor (a host supplies it with `.provide()`; see
 * actors/ai/mcp/stdio-process.node.ts): it starts the server, connects an MCP client, attaches it
 * to the tool registry and says `server.ready`; it says `server.exited` when the process dies.
 * Leaving `running` stops it, which closes the client and ends the process — so a restart always
 * starts a fresh process, and a server that was asked to stop is never left running.
 *
 * Crashes count consecutively: a server that stays ready for `stable` ms has its count cleared,
 * so an occasional crash is always retried but a crash loop ends in `failed`.
 */

export type McpServerState = 'stopped' | 'starting' | 'ready' | 'backingOff' | 'failed';

export interface McpProcessInput {
  serverId: string;
  roots: readonly string[];
}

/** What the `process` actor sends back. */
export type McpProcessEvent =
  | { type: 'server.ready'; pid: number | undefined; tools: number }
  | { type: 'server.exited'; message: string };

export type McpServerEvent =
  | { type: 'mcp.start' }
  | { type: 'mcp.stop' }
  /** The user chose other folders: a running server restarts with them. */
  | { type: 'mcp.configure'; roots: readonly string[] }
  | McpProcessEvent;

export interface McpServerStatus {
  type: 'mcp.status';
  serverId: string;
  state: McpServerState;
  restarts: number;
  lastError: string | undefined;
  pid: number | undefined;
}

export interface McpServerInput {
  serverId: string;
  roots: readonly string[];
  /** Consecutive crashes tolerated before `failed`. */
  maxRestarts?: number;
}

export interface McpServerContext {
  serverId: string;
  roots: readonly string[];
  maxRestarts: number;
  /** Consecutive crashes: drive the backoff and the give-up. */
  crashes: number;
  /** Every restart after a crash, for the status the UI shows. */
  restarts: number;
  pid: number | undefined;
  tools: number;
  lastError: string | undefined;
}

export const DEFAULT_MAX_RESTARTS = 5;
export const BACKOFF_BASE_MS = 250;
export const BACKOFF_MAX_MS = 10_000;
/** Ready this long without a crash, and the crash count starts over. */
export const STABLE_AFTER_MS = 30_000;

export const mcpServerMachine = setup({
  types: {} as {
    input: McpServerInput;
    context: McpServerContext;
    events: McpServerEvent;
    emitted: McpServerStatus;
  },
  actors: {
    process: fromCallback<{ type: never }, McpProcessInput>(notProvided('process')),
  },
  actions: {
    announce: emit(({ context }, params: { state: McpServerState }) => ({
      type: 'mcp.status' as const,
      serverId: context.serverId,
      state: params.state,
      restarts: context.restarts,
      lastError: context.lastError,
      pid: context.pid,
    })),
    setRoots: assign({ roots: ({ context, event }) => (event.type === 'mcp.configure' ? event.roots : context.roots) }),
    recordReady: assign(({ context, event }) => (event.type === 'server.ready' ? { pid: event.pid, tools: event.tools } : context)),
    recordCrash: assign(({ context, event }) => ({ crashes: context.crashes + 1, lastError: crashCause(event), pid: undefined, tools: 0 })),
    forgetCrashes: assign({ crashes: 0 }),
    countRestart: assign({ restarts: ({ context }) => context.restarts + 1 }),
    forgetProcess: assign({ pid: undefined, tools: 0 }),
  },
  guards: {
    mayRestart: ({ context }) => context.crashes <= context.maxRestarts,
  },
  delays: {
    /** Exponential in consecutive crashes, capped: a crash loop costs little, a one-off recovers fast. */
    backoff: ({ context }) => Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, context.crashes - 1), BACKOFF_MAX_MS),
    stable: STABLE_AFTER_MS,
  },
}).createMachine({
  id: 'mcpServer',
  context: ({ input }) => ({
    serverId: input.serverId,
    roots: input.roots,
    maxRestarts: input.maxRestarts ?? DEFAULT_MAX_RESTARTS,
    crashes: 0,
    restarts: 0,
    pid: undefined,
    tools: 0,
    lastError: undefined,
  }),
  initial: 'stopped',
  on: {
    'mcp.stop': { target: '.stopped', actions: 'forgetProcess' },
    'mcp.configure': { actions: 'setRoots' },
  },
  states: {
    stopped: {
      entry: { type: 'announce', params: { state: 'stopped' } },
      on: { 'mcp.start': { target: 'running', actions: 'forgetCrashes' } },
    },
    running: {
      invoke: {
        id: 'process',
        src: 'process',
        input: ({ context }) => ({ serverId: context.serverId, roots: context.roots }),
        onError: '#mcpServer.crashed',
      },
      on: {
        'server.exited': '#mcpServer.crashed',
        // Re-entering stops the process actor (ending the old process) and starts a fresh one with the
        // new roots. The user changed something, so earlier crashes no longer count against it.
        'mcp.configure': { target: 'running', reenter: true, actions: ['setRoots', 'forgetProcess', 'forgetCrashes'] },
      },
      initial: 'starting',
      states: {
        starting: {
          entry: { type: 'announce', params: { state: 'starting' } },
          on: { 'server.ready': { target: 'ready', actions: 'recordReady' } },
        },
        ready: {
          entry: { type: 'announce', params: { state: 'ready' } },
          after: { stable: { actions: 'forgetCrashes' } },
        },
      },
    },
    crashed: {
      entry: 'recordCrash',
      always: [{ guard: 'mayRestart', target: 'backingOff' }, { target: 'failed' }],
    },
    backingOff: {
      entry: ['countRestart', { type: 'announce', params: { state: 'backingOff' } }],
      after: { backoff: 'running' },
    },
    failed: {
      entry: { type: 'announce', params: { state: 'failed' } },
      on: { 'mcp.start': { target: 'running', actions: 'forgetCrashes' } },
    },
  },
});

/** Why the process is gone, from the event that took the machine to `crashed`. */
function crashCause(event: { type: string }): string {
  const e = event as McpServerEvent | { type: string; error?: unknown };
  if (e.type === 'server.exited' && 'message' in e) return e.message;
  const error = 'error' in e ? e.error : undefined;
  return error instanceof Error ? error.message : String(error);
}
