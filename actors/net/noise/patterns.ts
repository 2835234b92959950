/**
 * The handshake patterns LAMA implements (Noise §7): XX is what LAMA uses; NN and IK are here so
 * that every cacophony vector for 25519/ChaChaPoly/SHA256 runs against the same HandshakeState.
 */
export type Token = 'e' | 's' | 'ee' | 'es' | 'se' | 'ss';
export type PatternName = 'NN' | 'XX' | 'IK';

export interface HandshakePattern {
  readonly name: PatternName;
  /** IK's pre-message `<- s` (§7.1): the initiator knows the responder's static key in advance. */
  readonly responderStaticKnown: boolean;
  /** Message i is sent by the initiator when i is even, by the responder when odd. */
  readonly messages: readonly (readonly Token[])[];
}

export const PATTERNS: Readonly<Record<PatternName, HandshakePattern>> = {
  // -> e
  // <- e, ee
  NN: { name: 'NN', responderStaticKnown: false, messages: [['e'], ['e', 'ee']] },
  // -> e
  // <- e, ee, s, es
  // -> s, se
  XX: { name: 'XX', responderStaticKnown: false, messages: [['e'], ['e', 'ee', 's', 'es'], ['s', 'se']] },
  // <- s
  // ...
  // -> e, es, s, ss
  // <- e, ee, se
  IK: { name: 'IK', responderStaticKnown: true, messages: [['e', 'es', 's', 'ss'], ['e', 'ee', 'se']] },
};
