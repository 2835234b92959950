import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { runSecureChannelSuite } from './secure-channel-suite.ts';

// Node and Chromium, with the browser's provider on both ends.
runSecureChannelSuite(nobleCrypto, '@noble');
