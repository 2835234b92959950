// `npm run build`: the renderer with Vite into dist/renderer, the Node host and its worker entries
// with esbuild into dist/node (one ES module each; packages stay in node_modules). Plain JS so it
// runs before anything is compiled; `npm start` runs it first.
import { build as esbuild } from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as vite } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');

await vite({ root: join(root, 'hosts', 'browser'), configFile: join(root, 'vite.config.ts'), mode: 'production', logLevel: quiet ? 'warn' : 'info' });

const workers = readdirSync(join(root, 'hosts', 'workers'))
  // fault-worker exists for the crash tests only.
  .filter((file) => /-worker\.node\.ts$/.test(file) && !file.startsWith('fault-'))
  .map((file) => join(root, 'hosts', 'workers', file));
await esbuild({
  entryPoints: [join(root, 'hosts', 'node', 'main.node.ts'), ...workers],
  outdir: join(root, 'dist', 'node'),
  outExtension: { '.js': '.mjs' },
  // Flat: the host finds its worker entries beside itself (hosts/workers/node-pool.node.ts).
  entryNames: '[name]',
  bundle: true,
  // Bundled and tree-shaken, packages load in a fraction of the time separate modules take (zod
  // alone costs ~40 ms as a package); native and optional modules stay outside (node-llama-cpp
  // loads its llama.cpp binary from beside its own files, and only in the LLM worker).
  external: ['better-sqlite3', 'bufferutil', 'utf-8-validate', 'electron', 'node-llama-cpp'],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // CommonJS packages (ws) require Node built-ins; an ES module has no `require` of its own.
  banner: { js: "import { createRequire as __lamaCreateRequire } from 'node:module'; const require = __lamaCreateRequire(import.meta.url);" },
  logLevel: quiet ? 'warning' : 'info',
});
