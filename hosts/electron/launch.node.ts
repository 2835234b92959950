/**
 * `npm run electron [-- --url …|--file …]`: finds Electron's binary, builds main and preload,
 * starts Electron. Where the binary is absent (Electron is optional; `npm start` needs none) it
 * says so in one line and exits 1, without a stack trace and without a download attempt.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildElectron } from './build.node.ts';
import { electronBinary } from './electron-binary.node.ts';

const binary = electronBinary();
if (!binary) {
  console.error(
    "LAMA: Electron's binary is not installed here (node_modules/electron/dist is missing). " +
      'Install it with `npx install-electron` where there is network, or set ELECTRON_OVERRIDE_DIST_PATH; ' +
      'without Electron, `npm start` runs the app in the browser.',
  );
  process.exit(1);
}

try {
  // The renderer the window shows is the one `npm start` serves: build it first.
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
  const { main } = await buildElectron();
  const child = spawn(binary, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} catch (error) {
  console.error(`LAMA: could not start Electron: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
