import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const MAIN = join(import.meta.dirname, 'main.node.ts');

interface Run {
  output: string;
  code: number | null;
}

/** Starts the host; once it prints `Ready.` (or exits) sends SIGTERM and collects everything it printed. */
function runHost(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (data: Buffer) => {
    output += data.toString();
    if (output.includes('Ready.')) child.kill('SIGTERM');
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ output, code })));
}

describe('npm start (the Node host)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'lama-host-'));
    dirs.push(dir);
    return dir;
  };

  it('creates the archive and the user, prints them, and stops cleanly on SIGTERM; a restart finds the same user', async () => {
    const dir = dataDir();
    const first = await runHost(['--data', dir, '--name', 'Ada'], { LAMA_PASSPHRASE: 'secret words' });
    expect(first.code).toBe(0);
    expect(first.output).toContain(`LAMA data folder: ${dir}`);
    expect(first.output).toMatch(/User: Ada <[0-9a-f]{32}@lama\.local>/);
    expect(first.output).toContain('archive closed');
    const person = /Person: ([0-9a-f]{64})/.exec(first.output)?.[1];
    expect(person).toBeDefined();

    const second = await runHost(['--data', dir], { LAMA_PASSPHRASE: 'secret words' });
    expect(second.code).toBe(0);
    expect(second.output).toContain(`Person: ${person}`);
  }, 60_000);

  it('refuses a wrong passphrase with one clear line and no stack trace', async () => {
    const dir = dataDir();
    await runHost(['--data', dir, '--name', 'Ada'], { LAMA_PASSPHRASE: 'right' });
    const run = await runHost(['--data', dir], { LAMA_PASSPHRASE: 'wrong' });
    expect(run.code).toBe(1);
    expect(run.output).toContain('LAMA: the passphrase does not unlock this identity (WRONG_PASSPHRASE)');
    expect(run.output).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('says how to create a user when started without a terminal or passphrase', async () => {
    const run = await runHost(['--data', dataDir()], { LAMA_PASSPHRASE: '' });
    expect(run.code).toBe(0);
    expect(run.output).toContain('User: none yet');
  }, 60_000);
});
