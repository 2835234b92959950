import { runCryptoVectorSuite } from './crypto-vector-suite.ts';
import { nobleCrypto } from './noble-crypto.ts';

// Runs in Node and in Chromium: the browser's provider must pass the same vectors in both.
runCryptoVectorSuite(nobleCrypto, '@noble');
