import { describe } from 'vitest';
import type { CryptoProvider } from './crypto-provider.ts';
import { contractTests } from './suite/contract.ts';
import { rfcVectorTests } from './suite/rfc-vectors.ts';
import { wycheproofTests } from './suite/wycheproof.ts';

/**
 * The acceptance suite every CryptoProvider passes, in every runtime it runs in: the RFC vectors,
 * every Wycheproof case, and the error/edge-case contract. Passing it is what "identical bytes"
 * means for a provider; the Node-only cross-provider property test adds random inputs on top.
 */
export function runCryptoVectorSuite(provider: CryptoProvider, label: string): void {
  describe(`crypto provider ${label}`, () => {
    rfcVectorTests(provider);
    wycheproofTests(provider);
    contractTests(provider);
  });
}
