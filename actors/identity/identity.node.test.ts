import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { platformCrypto } from '../crypto/platform.node.ts';
import { SqliteStorage } from '../store/sqlite-storage.node.ts';
import { createIdentity, openIdentity } from './identity.ts';
import { identityStore } from './identity-test-kit.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function contains(haystack: Buffer, needle: Uint8Array): boolean {
  return haystack.indexOf(Buffer.from(needle)) !== -1;
}

describe('identity in the SQLite archive', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('never writes a secret key in the clear, and reopens after a restart with the default scrypt cost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lama-identity-'));
    dirs.push(dir);
    // Record every secret key the identity generates, to look for it on disk afterwards.
    const secrets: Uint8Array[] = [];
    const record = (key: Uint8Array) => (secrets.push(key), key);
    const recording: CryptoProvider = {
      ...platformCrypto,
      ed25519: { ...platformCrypto.ed25519, generateSecretKey: () => record(platformCrypto.ed25519.generateSecretKey()) },
      x25519: { ...platformCrypto.x25519, generateSecretKey: () => record(platformCrypto.x25519.generateSecretKey()) },
    };
    const store = identityStore(recording, await SqliteStorage.open(dir));
    // Default parameters (N = 2^17): the path real users take, including node:crypto's memory limit.
    const me = await createIdentity(store, recording, { name: 'Ada', instanceName: 'node archive', passphrase: 'pass phrase' });
    expect(secrets).toHaveLength(4);
    await store.close();

    const bytes = filesUnder(dir).map((file) => readFileSync(file));
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(bytes.some((file) => contains(file, secret))).toBe(false);

    const reopened = identityStore(platformCrypto, await SqliteStorage.open(dir));
    const again = await openIdentity(reopened, platformCrypto, 'pass phrase');
    expect(again.person.signer.publicKey).toEqual(me.person.signer.publicKey);
    expect(again.instance.encryptionSecretKey).toEqual(me.instance.encryptionSecretKey);
    await reopened.close();
  }, 30_000);
});
