import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromPromise } from 'xstate';
import { startHost, type HostOptions, type RunningHost } from '../../hosts/node/host.node.ts';

/**
 * The Node host as tests start it: in-process, on free ports, in fresh folders, with a worker
 * pool that stays up until stopped (the pool has its own tests).
 */
export const idlePool = fromPromise(({ signal }) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())));

export interface TestHost {
  readonly host: RunningHost;
  /** Stops the host and removes its folders. */
  readonly dispose: () => Promise<void>;
}

export async function startTestHost(options: Partial<HostOptions> = {}): Promise<TestHost> {
  const made: string[] = [];
  const folder = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
  let rendererDir = options.rendererDir;
  if (!rendererDir) {
    rendererDir = folder('lama-renderer-');
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>LAMA</title>');
  }
  const host = await startHost({ port: 0, federationPort: 0, workerPool: { logic: idlePool }, ...options, dataDir: options.dataDir ?? folder('lama-host-'), rendererDir });
  return {
    host,
    dispose: async () => {
      if (host.app.getSnapshot().status === 'active') await host.stop();
      for (const dir of made) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The port the host's federation listener bound. */
export function federationPort(host: RunningHost): number {
  return (host.app.system.get('federation')!.getSnapshot() as { context: { port: number } }).context.port;
}

/** The states of the listener's live connections (`handshaking` / `established`). */
export function listenerConnections(host: RunningHost): string[] {
  const listener = host.app.system.get('federation')?.getSnapshot() as { context: { connections: Record<string, string> } } | undefined;
  return Object.values(listener?.context.connections ?? {});
}
