/**
 * `npm run bench [-- name …]`: runs tests/bench/<name>.bench.node.ts (all of them without names).
 * Each benchmark's default export returns a flat object of figures; the runner prints them as a
 * table and writes tests/bench/results/<name>.json. Ratios against a baseline measured in the same
 * run are the figures to compare across machines; absolute rates are for context.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Figures = Record<string, number>;

const benchDir = import.meta.dirname;
const resultsDir = join(benchDir, 'results');
const available = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.node.ts'))
  .map((file) => file.replace('.bench.node.ts', ''))
  .sort();
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}

mkdirSync(resultsDir, { recursive: true });
for (const name of requested.length > 0 ? requested : available) {
  const module = (await import(pathToFileURL(join(benchDir, `${name}.bench.node.ts`)).href)) as { default: () => Promise<Figures> };
  console.log(`\n▶ ${name}`);
  const figures = await module.default();
  console.table(Object.fromEntries(Object.entries(figures).map(([key, value]) => [key, { value: round(value) }])));
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}

function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000;
}
