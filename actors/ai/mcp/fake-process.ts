import { fromCallback } from 'xstate';
import type { McpProcessEvent, McpProcessInput } from '../../../machines/mcp-server.ts';

/**
 * MCP server processes settled by hand, for machine tests (STYLE.md §1, testing 1): the test says
 * when a process is ready and when it dies. `actor` is what tests `.provide()` as the mcp-server
 * machine's `process`.
 */
export class FakeProcesses {
  /** Every process ever started, oldest first (a restart starts a new one). */
  readonly started: FakeProcess[] = [];

  readonly actor = fromCallback<{ type: never }, McpProcessInput>(({ input, sendBack }) => {
    const process = new FakeProcess(input, sendBack, 1_000 + this.started.length);
    this.started.push(process);
    return () => {
      process.stopped = true;
    };
  });

  get current(): FakeProcess {
    const process = this.started.at(-1);
    if (!process) throw new Error('no MCP server process started');
    return process;
  }

  /** Processes started and not stopped: never more than one. */
  get running(): FakeProcess[] {
    return this.started.filter((p) => !p.stopped);
  }
}

export class FakeProcess {
  stopped = false;
  constructor(
    readonly input: McpProcessInput,
    readonly sendBack: (event: McpProcessEvent) => void,
    readonly pid: number,
  ) {}

  ready(tools = 10): void {
    this.sendBack({ type: 'server.ready', pid: this.pid, tools });
  }

  exit(message = 'the filesystem server ended unexpectedly'): void {
    this.sendBack({ type: 'server.exited', message });
  }
}
