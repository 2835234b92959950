import { nobleCrypto } from '../../crypto/noble-crypto.ts';
import { runNoiseVectorSuite } from './noise-vector-suite.ts';

// Runs in Node and in Chromium: the browser's provider must reproduce every vector in both.
runNoiseVectorSuite(nobleCrypto, '@noble');
