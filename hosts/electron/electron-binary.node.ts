import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Electron's binary as the `electron` package locates it (its index.js), minus that file's
 * fallback of downloading one: here a missing binary is an answer, not a network fetch.
 */
export function electronBinary(env: NodeJS.ProcessEnv = process.env, packageDir = join('node_modules', 'electron')): string | undefined {
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const candidate = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron')
    : relative && join(packageDir, 'dist', relative);
  return candidate && existsSync(candidate) ? candidate : undefined;
}
