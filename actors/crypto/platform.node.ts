import type { CryptoProvider } from './crypto-provider.ts';
import { nodeCrypto } from './node-crypto.node.ts';

/** In Node, OpenSSL through node:crypto: the fastest implementation there (tests/bench/crypto.bench.node.ts). */
export const platformCrypto: CryptoProvider = nodeCrypto;
