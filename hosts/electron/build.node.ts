/**
 * Builds Electron's main and preload from TypeScript, which Electron cannot run: main as an ES
 * module, the preload as CommonJS (sandboxed preloads cannot load ES modules, nor require anything
 * but `electron`, so zod and the channel table are bundled in). esbuild comes with tsx and vite.
 */
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { join } from 'node:path';

export const ELECTRON_OUT_DIR = 'dist/electron';

export async function buildElectron(outDir: string = ELECTRON_OUT_DIR): Promise<{ main: string; preload: string }> {
  const main = join(outDir, 'main.mjs');
  const preload = join(outDir, 'preload.cjs');
  const common: BuildOptions = { bundle: true, platform: 'node', external: ['electron'], logLevel: 'warning', sourcemap: 'linked', minify: true };
  await Promise.all([
    // Some bundled packages are CommonJS and require Node built-ins: give the ES module a require.
    build({
      ...common,
      entryPoints: ['hosts/electron/main.ts'],
      outfile: main,
      format: 'esm',
      target: 'node22',
      banner: { js: "import { createRequire as __lamaCreateRequire } from 'node:module'; const require = __lamaCreateRequire(import.meta.url);" },
    }),
    build({ ...common, entryPoints: ['hosts/electron/preload.ts'], outfile: preload, format: 'cjs', target: 'chrome140' }),
  ]);
  return { main, preload };
}
