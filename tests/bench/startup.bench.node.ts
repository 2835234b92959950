/**
 * startup: process start → the Node user provisioned (the host prints "Node user:"), with an
 * existing archive, median of 10; a bare `node -e ""` in the same run is the baseline.
 * Figure `startup_ms_over_node` (goal < 300). The passphrase comes from LAMA_PASSPHRASE, so
 * unlocking includes the key derivation (scrypt N=2^17, measured alone as `kdf_ms`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformCrypto } from '../../actors/crypto/platform.node.ts';
import { DEFAULT_SCRYPT_PARAMS } from '../../actors/crypto/crypto-provider.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'node', 'main.node.mjs');
const RUNS = 10;
const env = { ...process.env, LAMA_PASSPHRASE: 'bench passphrase' };

/** Starts the built host and resolves with the ms until it printed `marker`; then stops it. */
function timeHost(dataDir: string, marker: string): Promise<number> {
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [MAIN, '--data', dataDir, '--port', '0', '--federation-port', '0', '--no-browser', '--name', 'Bench'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    let elapsed: number | undefined;
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      if (elapsed === undefined && output.includes(marker)) {
        elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        child.kill('SIGTERM');
      }
    });
    child.on('exit', (code) => (elapsed === undefined ? reject(new Error(`host exited (${code}) before "${marker}":\n${output}`)) : resolve(elapsed)));
  });
}

function timeBareNode(): number {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, ['-e', '']);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export default async function run(): Promise<Record<string, number>> {
  execFileSync(process.execPath, [join(ROOT, 'hosts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
  const dataDir = mkdtempSync(join(tmpdir(), 'lama-bench-startup-'));
  try {
    await timeHost(dataDir, 'Node user:'); // creates the archive and the user
    const host: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      bare.push(timeBareNode());
      host.push(await timeHost(dataDir, 'Node user:'));
    }
    const kdfStart = process.hrtime.bigint();
    await platformCrypto.scrypt(new Uint8Array(16), new Uint8Array(16), DEFAULT_SCRYPT_PARAMS);
    const kdf = Number(process.hrtime.bigint() - kdfStart) / 1e6;
    return {
      runs: RUNS,
      startup_ms: median(host),
      node_bare_ms: median(bare),
      startup_ms_over_node: median(host) - median(bare),
      kdf_ms: kdf,
      startup_ms_over_node_without_kdf: median(host) - median(bare) - kdf,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
