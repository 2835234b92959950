import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { nodeCrypto } from '../crypto/node-crypto.node.ts';
import { lamaVectorChecks } from './lama-vector-checks.ts';
import { runSecureChannelSuite } from './secure-channel-suite.ts';

// The Node host's provider on both ends, then a Node host talking to a browser: node:crypto
// initiating, @noble responding.
runSecureChannelSuite(nodeCrypto, 'node:crypto');
runSecureChannelSuite(nodeCrypto, 'node:crypto initiator, @noble responder', { responderCrypto: nobleCrypto });
lamaVectorChecks(nodeCrypto, 'node:crypto');
