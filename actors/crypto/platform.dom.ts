import type { CryptoProvider } from './crypto-provider.ts';
import { nobleCrypto } from './noble-crypto.ts';

/** In the browser, @noble: WebCrypto is async only and lacks ChaCha20-Poly1305 and scrypt. */
export const platformCrypto: CryptoProvider = nobleCrypto;
