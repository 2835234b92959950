import { describe, expect, it } from 'vitest';
import { createActor, fromCallback, SimulatedClock } from 'xstate';
import { FakeProcesses } from '../actors/ai/mcp/fake-process.ts';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, mcpServerMachine, STABLE_AFTER_MS, type McpServerStatus } from './mcp-server.ts';

function start(maxRestarts = 2) {
  const clock = new SimulatedClock();
  const processes = new FakeProcesses();
  const actor = createActor(mcpServerMachine.provide({ actors: { process: processes.actor } }), {
    input: { serverId: 'filesystem', roots: ['/home/ada/notes'], maxRestarts },
    clock,
  });
  const statuses: McpServerStatus[] = [];
  actor.on('mcp.status', (status) => statuses.push(status));
  actor.start();
  const states = () => statuses.map((s) => s.state);
  return { actor, clock, processes, statuses, states };
}

describe('mcp-server machine', () => {
  it('waits for mcp.start, then starts the process with the roots and becomes ready', () => {
    const m = start();
    try {
      expect(m.actor.getSnapshot().value).toBe('stopped');
      expect(m.processes.started).toHaveLength(0);
      m.actor.send({ type: 'mcp.start' });
      expect(m.actor.getSnapshot().value).toEqual({ running: 'starting' });
      expect(m.processes.current.input).toEqual({ serverId: 'filesystem', roots: ['/home/ada/notes'] });
      m.processes.current.ready(10);
      expect(m.actor.getSnapshot().value).toEqual({ running: 'ready' });
      expect(m.actor.getSnapshot().context).toMatchObject({ pid: 1000, tools: 10, crashes: 0 });
      expect(m.states()).toEqual(['stopped', 'starting', 'ready']);
      expect(m.statuses.at(-1)).toEqual({ type: 'mcp.status', serverId: 'filesystem', state: 'ready', restarts: 0, lastError: undefined, pid: 1000 });
    } finally {
      m.actor.stop();
    }
  });

  it('restarts a crashed process after a backoff, with a fresh process', () => {
    const m = start();
    try {
      m.actor.send({ type: 'mcp.start' });
      m.processes.current.ready();
      m.processes.current.exit('the filesystem server ended unexpectedly (it said: out of memory)');
      expect(m.actor.getSnapshot().value).toBe('backingOff');
      expect(m.processes.running).toHaveLength(0);
      expect(m.actor.getSnapshot().context).toMatchObject({ crashes: 1, restarts: 1, pid: undefined, lastError: 'the filesystem server ended unexpectedly (it said: out of memory)' });
      m.clock.increment(BACKOFF_BASE_MS - 1);
      expect(m.processes.started).toHaveLength(1);
      m.clock.increment(1);
      expect(m.processes.started).toHaveLength(2);
      expect(m.actor.getSnapshot().value).toEqual({ running: 'starting' });
      m.processes.current.ready();
      expect(m.states()).toEqual(['stopped', 'starting', 'ready', 'backingOff', 'starting', 'ready']);
    } finally {
      m.actor.stop();
    }
  });

  it('backs off exponentially, capped, and gives up after maxRestarts consecutive crashes', () => {
    const m = start(7);
    try {
      m.actor.send({ type: 'mcp.start' });
      const waits: number[] = [];
      for (let crash = 1; crash <= 7; crash++) {
        m.processes.current.exit();
        const before = m.processes.started.length;
        let waited = 0;
        while (m.processes.started.length === before) {
          m.clock.increment(50);
          waited += 50;
        }
        waits.push(waited);
      }
      expect(waits).toEqual([250, 500, 1_000, 2_000, 4_000, 8_000, BACKOFF_MAX_MS]);
      m.processes.current.exit('still broken');
      expect(m.actor.getSnapshot().value).toBe('failed');
      expect(m.processes.running).toHaveLength(0);
      expect(m.statuses.at(-1)).toMatchObject({ state: 'failed', restarts: 7, lastError: 'still broken' });
      m.clock.increment(60_000);
      expect(m.processes.started).toHaveLength(8);
    } finally {
      m.actor.stop();
    }
  });

  it('counts a process that cannot start (the actor throws) as a crash', () => {
    const clock = new SimulatedClock();
    const actor = createActor(
      mcpServerMachine.provide({
        actors: {
          process: fromCallback(() => {
            throw new Error('spawn ENOENT');
          }),
        },
      }),
      { input: { serverId: 'filesystem', roots: ['/r'], maxRestarts: 0 }, clock },
    ).start();
    try {
      actor.send({ type: 'mcp.start' });
      expect(actor.getSnapshot().value).toBe('failed');
      expect(actor.getSnapshot().context.lastError).toBe('spawn ENOENT');
    } finally {
      actor.stop();
    }
  });

  it('starts over from failed when the user asks', () => {
    const m = start(0);
    try {
      m.actor.send({ type: 'mcp.start' });
      m.processes.current.exit();
      expect(m.actor.getSnapshot().value).toBe('failed');
      m.actor.send({ type: 'mcp.start' });
      expect(m.actor.getSnapshot().value).toEqual({ running: 'starting' });
      expect(m.actor.getSnapshot().context.crashes).toBe(0);
      m.processes.current.ready();
      // A fresh streak: one crash is retried again.
      m.processes.current.exit();
      expect(m.actor.getSnapshot().value).toBe('failed');
    } finally {
      m.actor.stop();
    }
  });

  it('forgets old crashes once the server has stayed ready long enough', () => {
    const m = start(1);
    try {
      m.actor.send({ type: 'mcp.start' });
      m.processes.current.exit();
      m.clock.increment(BACKOFF_BASE_MS);
      m.processes.current.ready();
      expect(m.actor.getSnapshot().context.crashes).toBe(1);
      m.clock.increment(STABLE_AFTER_MS);
      expect(m.actor.getSnapshot().context.crashes).toBe(0);
      // So this crash is retried rather than the end.
      m.processes.current.exit();
      expect(m.actor.getSnapshot().value).toBe('backingOff');
      expect(m.actor.getSnapshot().context.restarts).toBe(2);
    } finally {
      m.actor.stop();
    }
  });

  it('restarts a running server with new roots, its crash streak forgotten', () => {
    const m = start();
    try {
      m.actor.send({ type: 'mcp.start' });
      m.processes.current.exit();
      m.clock.increment(BACKOFF_BASE_MS);
      m.processes.current.ready();
      expect(m.actor.getSnapshot().context.crashes).toBe(1);
      m.actor.send({ type: 'mcp.configure', roots: ['/home/ada/code'] });
      expect(m.processes.started.map((p) => [p.input.roots, p.stopped])).toEqual([
        [['/home/ada/notes'], true],
        [['/home/ada/notes'], true],
        [['/home/ada/code'], false],
      ]);
      expect(m.actor.getSnapshot().value).toEqual({ running: 'starting' });
      expect(m.actor.getSnapshot().context).toMatchObject({ crashes: 0, restarts: 1 });
    } finally {
      m.actor.stop();
    }
  });

  it('keeps new roots while stopped or backing off, for the next start', () => {
    const m = start();
    try {
      m.actor.send({ type: 'mcp.configure', roots: ['/a'] });
      expect(m.processes.started).toHaveLength(0);
      m.actor.send({ type: 'mcp.start' });
      m.processes.current.exit();
      m.actor.send({ type: 'mcp.configure', roots: ['/b'] });
      expect(m.actor.getSnapshot().value).toBe('backingOff');
      m.clock.increment(BACKOFF_BASE_MS);
      expect(m.processes.started.map((p) => p.input.roots)).toEqual([['/a'], ['/b']]);
    } finally {
      m.actor.stop();
    }
  });

  it('stops the process on mcp.stop, and a pending restart with it', () => {
    const m = start();
    try {
      m.actor.send({ type: 'mcp.start' });
      m.processes.current.ready();
      m.actor.send({ type: 'mcp.stop' });
      expect(m.actor.getSnapshot().value).toBe('stopped');
      expect(m.processes.running).toHaveLength(0);
      expect(m.actor.getSnapshot().context.pid).toBeUndefined();

      m.actor.send({ type: 'mcp.start' });
      m.processes.current.exit();
      m.actor.send({ type: 'mcp.stop' });
      m.clock.increment(BACKOFF_MAX_MS);
      expect(m.processes.started).toHaveLength(2);
      expect(m.actor.getSnapshot().value).toBe('stopped');
    } finally {
      m.actor.stop();
    }
  });

  it('ignores a late word from a process it already left', () => {
    const m = start();
    try {
      m.actor.send({ type: 'mcp.start' });
      const first = m.processes.current;
      first.ready();
      m.actor.send({ type: 'mcp.configure', roots: ['/other'] });
      first.exit(); // the old process's close arrives after the restart
      expect(m.actor.getSnapshot().value).toEqual({ running: 'starting' });
      expect(m.actor.getSnapshot().context.crashes).toBe(0);
    } finally {
      m.actor.stop();
    }
  });
});
