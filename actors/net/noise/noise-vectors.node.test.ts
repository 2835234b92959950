import { nodeCrypto } from '../../crypto/node-crypto.node.ts';
import { runNoiseVectorSuite } from './noise-vector-suite.ts';

// The Node host's provider (OpenSSL) must reproduce the same vectors byte for byte.
runNoiseVectorSuite(nodeCrypto, 'node:crypto');
