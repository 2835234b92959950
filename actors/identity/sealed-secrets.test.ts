import { describe, expect, it } from 'vitest';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { MemoryStorage } from '../store/memory-storage.ts';
import { createIdentity, openIdentity } from './identity.ts';
import { IdentityError } from './identity-error.ts';
import { identityStore, TEST_KDF } from './identity-test-kit.ts';
import { SealedSecrets } from './sealed-secrets.ts';

const crypto = nobleCrypto;
const options = { name: 'Ada', instanceName: 'node archive', passphrase: 'correct horse battery staple', kdf: TEST_KDF };
const text = new TextEncoder();

function expectCorrupt(open: () => unknown): void {
  try {
    open();
    expect.unreachable();
  } catch (error) {
    expect(error).toBeInstanceOf(IdentityError);
    expect((error as IdentityError).code).toBe('CORRUPT_SECRET');
  }
}

describe('SealedSecrets', () => {
  it('seals with a fresh nonce each time and opens again after the identity is unlocked anew', async () => {
    const adapter = new MemoryStorage();
    const store = identityStore(crypto, adapter);
    const secrets = SealedSecrets.forIdentity(crypto, await createIdentity(store, crypto, options));
    const a = secrets.seal('ai/key/claude', text.encode('sk-ant-secret'));
    const b = secrets.seal('ai/key/claude', text.encode('sk-ant-secret'));
    expect(a).not.toEqual(b);
    expect(a.byteLength).toBe(1 + 12 + 13 + 16);
    await adapter.write({ secrets: [secrets.entry('ai/key/claude', 'sk-ant-secret')] });

    const again = SealedSecrets.forIdentity(crypto, await openIdentity(store, crypto, options.passphrase));
    expect(new TextDecoder().decode(again.open('ai/key/claude', a))).toBe('sk-ant-secret');
    expect(await again.read(adapter, 'ai/key/claude')).toBe('sk-ant-secret');
    expect(await again.read(adapter, 'ai/key/absent')).toBeUndefined();
  });

  it('refuses a secret moved to another name, damaged, truncated, of another version, or of another identity', async () => {
    const secrets = SealedSecrets.forIdentity(crypto, await createIdentity(identityStore(crypto), crypto, options));
    const sealed = secrets.seal('ai/key/one', text.encode('value'));
    expectCorrupt(() => secrets.open('ai/key/two', sealed));
    const flipped = sealed.slice();
    flipped[20] = flipped[20]! ^ 1;
    expectCorrupt(() => secrets.open('ai/key/one', flipped));
    expectCorrupt(() => secrets.open('ai/key/one', sealed.subarray(0, 10)));
    const otherVersion = sealed.slice();
    otherVersion[0] = 2;
    expectCorrupt(() => secrets.open('ai/key/one', otherVersion));
    const stranger = SealedSecrets.forIdentity(crypto, await createIdentity(identityStore(crypto), crypto, options));
    expectCorrupt(() => stranger.open('ai/key/one', sealed));
  });
});
