import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { lamaVectorChecks } from './lama-vector-checks.ts';

// Node and Chromium: the browser must speak byte-identical LAMA/1.
lamaVectorChecks(nobleCrypto, '@noble');
