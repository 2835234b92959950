/**
 * Electron's entry (`npm run electron`), built to dist/electron/main.mjs beside preload.cjs. The
 * Node host runs inside Electron's main process (the archive, the actor tree, the worker pool);
 * the window shows its renderer and talks to it through the preload's typed bridge. The work and
 * the tests live in start-electron.ts and hosts/node/host.node.ts.
 *
 * Native modules (better-sqlite3) must be built for Electron's ABI where Electron is installed
 * (`npx electron-rebuild`); `npm start` needs none of this.
 */
import { app } from 'electron';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../node/data-dir.node.ts';
import { startHost } from '../node/host.node.ts';
import { nodeWorkerPoolChild } from '../workers/node-pool.node.ts';
import { startElectron } from './start-electron.ts';

const { values } = parseArgs({ options: { data: { type: 'string' } }, strict: false });
const dataDir = typeof values.data === 'string' ? values.data : defaultDataDir();
const fail = (what: string) => (error: unknown) => {
  console.error(`LAMA (Electron): ${what}: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
};

startHost({ dataDir, port: 0, rendererDir: join(import.meta.dirname, '..', 'renderer'), workerPool: nodeWorkerPoolChild() })
  .then(async (host) => {
    await startElectron(host.orchestrator, {
      renderer: { url: `${host.origin}/` },
      preload: join(import.meta.dirname, 'preload.cjs'),
      onInternalError: (error, where) => console.error(`LAMA (Electron): ${where}:`, error),
    });
    let stopped = false;
    app.on('before-quit', (event) => {
      if (stopped) return;
      event.preventDefault();
      void host.stop().then(() => {
        stopped = true;
        app.quit();
      }, fail('stopping'));
    });
    app.on('window-all-closed', () => app.quit());
  })
  .catch(fail('could not start'));
