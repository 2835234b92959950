import { runCryptoVectorSuite } from './crypto-vector-suite.ts';
import { nodeCrypto } from './node-crypto.node.ts';

runCryptoVectorSuite(nodeCrypto, 'node:crypto');
