import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const MAIN = join(import.meta.dirname, 'main.node.ts');

interface Run {
  output: string;
  code: number | null;
}

/** Runs the host from source; once it printed `until` (or exited) sends SIGTERM, and collects everything it printed. */
function runHost(args: string[], env: Record<string, string>, until = 'LAMA is running at'): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--no-browser', '--federation-port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let signalled = false;
  const collect = (data: Buffer) => {
    output += data.toString();
    if (!signalled && output.includes(until)) {
      signalled = true;
      child.kill('SIGTERM');
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ output, code })));
}

describe('npm start (the Node host program)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'lama-main-'));
    dirs.push(dir);
    return dir;
  };

  it('creates the Node user from LAMA_PASSPHRASE, prints it, stops cleanly on SIGTERM; a restart unlocks the same user', async () => {
    const dir = dataDir();
    const first = await runHost(['--data', dir, '--port', '0', '--name', 'Ada'], { LAMA_PASSPHRASE: 'secret words' });
    expect(first.code).toBe(0);
    expect(first.output).toContain(`LAMA data folder: ${dir}`);
    expect(first.output).toMatch(/LAMA is running at http:\/\/127\.0\.0\.1:\d+\/#secret=[\w-]{43}/);
    expect(first.output).toContain('archive closed');
    const person = /Node user: Ada \(person ([0-9a-f]{64})\)/.exec(first.output)?.[1];
    expect(person).toBeDefined();

    const second = await runHost(['--data', dir, '--port', '0'], { LAMA_PASSPHRASE: 'secret words' });
    expect(second.code).toBe(0);
    expect(second.output).toContain(`Node user: Ada (person ${person})`);
    expect(second.output).not.toContain('Created the Node user');
  }, 60_000);

  it('says so in one line when the passphrase is wrong, and keeps serving the window', async () => {
    const dir = dataDir();
    await runHost(['--data', dir, '--port', '0', '--name', 'Ada'], { LAMA_PASSPHRASE: 'right words' });
    const run = await runHost(['--data', dir, '--port', '0'], { LAMA_PASSPHRASE: 'wrong words' });
    expect(run.code).toBe(0);
    expect(run.output).toContain('LAMA: the passphrase does not unlock this identity (WRONG_PASSPHRASE)');
    expect(run.output).toContain('LAMA is running at');
    expect(run.output).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('refuses a port in use with a clear error naming it', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = await runHost(['--data', dataDir(), '--port', String(port)], { LAMA_PASSPHRASE: '' });
      expect(run.code).toBe(1);
      expect(run.output).toContain(`LAMA: port ${port} on 127.0.0.1 is already in use`);
      expect(run.output).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  }, 60_000);
});
