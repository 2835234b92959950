import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runInNewContext } from 'node:vm';
import { build as esbuild } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { invokeChannels } from '../ipc/channels.ts';
import { buildElectron } from './build.node.ts';
import { electronBinary } from './electron-binary.node.ts';

const dir = mkdtempSync(join(tmpdir(), 'lama-electron-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildElectron', () => {
  let built: { main: string; preload: string };
  beforeAll(async () => {
    built = await buildElectron(join(dir, 'out'));
  });

  it('bundles a preload that runs where only `electron` can be required, as in a sandbox', () => {
    const exposeInMainWorld = vi.fn();
    const electron = { contextBridge: { exposeInMainWorld }, ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() } };
    const required: string[] = [];
    const module = { exports: {} };
    runInNewContext(readFileSync(built.preload, 'utf8'), {
      module,
      exports: module.exports,
      require: (name: string) => {
        required.push(name);
        if (name !== 'electron') throw new Error(`module not found: ${name}`);
        return electron;
      },
    });
    expect(required).toEqual(['electron']);
    expect(exposeInMainWorld).toHaveBeenCalledOnce();
    expect(Object.keys(exposeInMainWorld.mock.calls[0]![1]).sort()).toEqual([...invokeChannels, 'on'].sort());
  });

  it('bundles main as an ES module importing nothing but electron and Node built-ins', async () => {
    // The banner gives the ES module a require for bundled CommonJS (see build.node.ts).
    expect(readFileSync(built.main, 'utf8')).toMatch(/^import \{ createRequire as __lamaCreateRequire \} from 'node:module';/);
    // esbuild parses the bundle and lists what it imports (a regex would also match an import inside a string).
    const parsed = await esbuild({ entryPoints: [built.main], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', external: ['*'], logLevel: 'silent' });
    const imported = Object.values(parsed.metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external && !i.path.startsWith('<')).map((i) => i.path));
    expect(imported).toContain('electron');
    expect(imported.filter((name) => name !== 'electron' && !builtinModules.includes(name.replace(/^node:/, '')))).toEqual([]);
    // (The metafile lists require() calls too, as `require-call` imports; text that merely looks like one does not count.)
  });
});

describe('electronBinary', () => {
  const packageDir = join(dir, 'electron');
  beforeAll(() => {
    mkdirSync(join(packageDir, 'dist'), { recursive: true });
    writeFileSync(join(packageDir, 'path.txt'), 'electron');
  });

  it('finds nothing while the package has not downloaded its binary', () => {
    expect(electronBinary({}, packageDir)).toBeUndefined();
    expect(electronBinary({}, join(dir, 'no-such-package'))).toBeUndefined();
  });

  it('finds the binary the package downloaded, or the one ELECTRON_OVERRIDE_DIST_PATH names', () => {
    writeFileSync(join(packageDir, 'dist', 'electron'), '');
    expect(electronBinary({}, packageDir)).toBe(join(packageDir, 'dist', 'electron'));
    mkdirSync(join(dir, 'override'));
    writeFileSync(join(dir, 'override', 'electron'), '');
    expect(electronBinary({ ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'override') }, join(dir, 'no-such-package'))).toBe(join(dir, 'override', 'electron'));
  });
});

describe('npm run electron', () => {
  it.skipIf(electronBinary() !== undefined)('says in one line that Electron is missing and exits 1, without a stack trace', async () => {
    const run = promisify(execFile)('node_modules/.bin/tsx', ['hosts/electron/launch.node.ts']);
    const failure = await run.then(() => undefined, (error: { code: number; stdout: string; stderr: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim().split('\n')).toHaveLength(1);
    expect(failure?.stderr).toContain("Electron's binary is not installed");
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
  });
});
