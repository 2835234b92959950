/**
 * Electron's entry (`npm run electron -- --url http://127.0.0.1:PORT/` or `-- --file index.html`),
 * built to dist/electron/main.mjs beside preload.cjs. It only reads its arguments and calls
 * `startElectron`; the work and the tests live there.
 */
import { app } from 'electron';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { partialOrchestrator } from '../ipc/orchestrator.ts';
import { startElectron } from './start-electron.ts';

const { values } = parseArgs({ options: { url: { type: 'string' }, file: { type: 'string' } }, strict: false });
const renderer = typeof values.url === 'string' ? { url: values.url } : typeof values.file === 'string' ? { file: values.file } : undefined;

if (!renderer) {
  console.error('LAMA (Electron): say what to show: --url http://127.0.0.1:PORT/ (the Node host\'s UI) or --file PATH.html');
  app.exit(2);
} else {
  // The app actor plugs in here once it exists (DESIGN.md §1); until then every channel answers NOT_IMPLEMENTED.
  const orchestrator = partialOrchestrator({});
  startElectron(orchestrator, {
    renderer,
    preload: join(import.meta.dirname, 'preload.cjs'),
    onInternalError: (error, where) => console.error(`LAMA (Electron): ${where}:`, error),
  }).catch((error: unknown) => {
    console.error(`LAMA (Electron): could not open the window: ${error instanceof Error ? error.message : String(error)}`);
    app.exit(1);
  });
  app.on('window-all-closed', () => app.quit());
}
