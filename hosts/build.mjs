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
  .filter((file) => /-worker\.node\.ts$/.test(file))
  .map((file) => join(root, 'hosts', 'workers', file));
await esbuild({
  entryPoints: [join(root, 'hosts', 'node', 'main.node.ts'), ...workers],
  outdir: join(root, 'dist', 'node'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: quiet ? 'warning' : 'info',
});
