import { KEY_BYTES, TAG_BYTES, type CryptoProvider } from '../../crypto/crypto-provider.ts';
import type { CipherState } from './cipher-state.ts';
import { NoiseError } from './noise-error.ts';
import { PATTERNS, type PatternName, type Token } from './patterns.ts';
import { SymmetricState } from './symmetric-state.ts';

/** Noise §3: every Noise message, handshake or transport, fits in 65535 bytes. */
export const MAX_NOISE_MESSAGE_BYTES = 65_535;
/** DHLEN for 25519. */
const DH_BYTES = KEY_BYTES;

export interface KeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export interface HandshakeOptions {
  readonly pattern: PatternName;
  readonly initiator: boolean;
  readonly prologue: Uint8Array;
  /** s: required when the pattern sends or pre-shares this side's static key. */
  readonly staticKeyPair?: KeyPair;
  /** rs known in advance: required by IK's initiator. */
  readonly remoteStaticKey?: Uint8Array;
  /** A fixed ephemeral secret, for test vectors only; otherwise a fresh one per handshake. */
  readonly ephemeralSecretKey?: Uint8Array;
}

/**
 * A payload, or a function that makes it from the handshake hash at the moment the payload is
 * encrypted: a payload can sign the transcript it is about to join (LAMA's identity proof).
 */
export type PayloadSource = Uint8Array | ((handshakeHash: Uint8Array) => Uint8Array);

export interface ReadResult {
  readonly payload: Uint8Array;
  /** h just before the payload was decrypted: what a PayloadSource function was given. */
  readonly hashBeforePayload: Uint8Array;
}

/** The two transport CipherStates after the handshake, already assigned by role. */
export interface TransportCiphers {
  readonly send: CipherState;
  readonly receive: CipherState;
}

/**
 * Noise §5.3 HandshakeState for DH 25519, cipher ChaChaPoly, hash SHA256 (Noise_*_25519_ChaChaPoly_SHA256),
 * over the patterns in patterns.ts. Errors: CryptoError AEAD_AUTH_FAILED when a message does not
 * authenticate, CryptoError LOW_ORDER_POINT for a low-order public key, NoiseError otherwise.
 */
export class HandshakeState {
  readonly #crypto: CryptoProvider;
  readonly #initiator: boolean;
  readonly #messages: readonly (readonly Token[])[];
  readonly #symmetric: SymmetricState;
  readonly #s: KeyPair | undefined;
  #e: KeyPair | undefined;
  #fixedEphemeral: Uint8Array | undefined;
  #rs: Uint8Array | undefined;
  #re: Uint8Array | undefined;
  #index = 0;

  constructor(crypto: CryptoProvider, options: HandshakeOptions) {
    const pattern = PATTERNS[options.pattern];
    this.#crypto = crypto;
    this.#initiator = options.initiator;
    this.#messages = pattern.messages;
    this.#s = options.staticKeyPair;
    this.#rs = options.remoteStaticKey;
    this.#fixedEphemeral = options.ephemeralSecretKey;
    this.#requireKeys(options.pattern);

    this.#symmetric = new SymmetricState(crypto, `Noise_${pattern.name}_25519_ChaChaPoly_SHA256`);
    this.#symmetric.mixHash(options.prologue);
    // §7.1: both sides hash the pre-message key, each from its own point of view.
    if (pattern.responderStaticKnown) this.#symmetric.mixHash(this.#initiator ? this.#rs! : this.#s!.publicKey);
  }

  /** Handshake messages written or read so far. */
  get messageCount(): number {
    return this.#index;
  }

  get isComplete(): boolean {
    return this.#index === this.#messages.length;
  }

  get isMyTurn(): boolean {
    return !this.isComplete && this.#index % 2 === (this.#initiator ? 0 : 1);
  }

  /** h: after the last message, the session's unique channel binding (§11.2). */
  get handshakeHash(): Uint8Array {
    return this.#symmetric.handshakeHash;
  }

  get remoteStaticKey(): Uint8Array | undefined {
    return this.#rs;
  }

  writeMessage(payload: PayloadSource): Uint8Array {
    const tokens = this.#nextTokens(true);
    const parts: Uint8Array[] = [];
    for (const token of tokens) {
      if (token === 'e') {
        this.#e = this.#generateEphemeral();
        parts.push(this.#e.publicKey);
        this.#symmetric.mixHash(this.#e.publicKey);
      } else if (token === 's') {
        parts.push(this.#symmetric.encryptAndHash(this.#s!.publicKey));
      } else {
        this.#symmetric.mixKey(this.#dh(token));
      }
    }
    const bytes = typeof payload === 'function' ? payload(this.#symmetric.handshakeHash) : payload;
    parts.push(this.#symmetric.encryptAndHash(bytes));
    const message = concat(parts);
    if (message.length > MAX_NOISE_MESSAGE_BYTES) throw new NoiseError('TOO_LONG', `handshake message of ${message.length} bytes`);
    this.#index++;
    return message;
  }

  readMessage(message: Uint8Array): ReadResult {
    if (message.length > MAX_NOISE_MESSAGE_BYTES) throw new NoiseError('TOO_LONG', `handshake message of ${message.length} bytes`);
    const tokens = this.#nextTokens(false);
    let at = 0;
    const take = (length: number): Uint8Array => {
      if (message.length - at < length) throw new NoiseError('MALFORMED', `handshake message ${this.#index + 1} is too short (${message.length} bytes)`);
      at += length;
      return message.subarray(at - length, at);
    };
    for (const token of tokens) {
      if (token === 'e') {
        this.#re = take(DH_BYTES).slice();
        this.#symmetric.mixHash(this.#re);
      } else if (token === 's') {
        this.#rs = this.#symmetric.decryptAndHash(take(DH_BYTES + (this.#symmetric.cipher.hasKey() ? TAG_BYTES : 0))).slice();
      } else {
        this.#symmetric.mixKey(this.#dh(token));
      }
    }
    const hashBeforePayload = this.#symmetric.handshakeHash;
    const payload = this.#symmetric.decryptAndHash(message.subarray(at));
    this.#index++;
    return { payload, hashBeforePayload };
  }

  /** §5.2 Split, once the last message is written or read; the initiator sends with the first key. */
  split(): TransportCiphers {
    if (!this.isComplete) throw new NoiseError('WRONG_TURN', 'split before the handshake completed');
    const [first, second] = this.#symmetric.split();
    this.#e = undefined; // forward secrecy: nothing needs the ephemeral secret after Split
    return this.#initiator ? { send: first, receive: second } : { send: second, receive: first };
  }

  #nextTokens(writing: boolean): readonly Token[] {
    const tokens = this.#messages[this.#index];
    if (!tokens || this.isMyTurn !== writing) {
      throw new NoiseError('WRONG_TURN', `cannot ${writing ? 'write' : 'read'} handshake message ${this.#index + 1} as the ${this.#initiator ? 'initiator' : 'responder'}`);
    }
    return tokens;
  }

  #generateEphemeral(): KeyPair {
    const secretKey = this.#fixedEphemeral ?? this.#crypto.x25519.generateSecretKey();
    this.#fixedEphemeral = undefined; // a fixed key serves one handshake message only
    return { secretKey, publicKey: this.#crypto.x25519.publicKey(secretKey) };
  }

  /** §7.2: the first letter names the initiator's key, the second the responder's. */
  #dh(token: Exclude<Token, 'e' | 's'>): Uint8Array {
    const { sharedSecret } = this.#crypto.x25519;
    const e = this.#e?.secretKey;
    const s = this.#s?.secretKey;
    switch (token) {
      case 'ee':
        return sharedSecret(e!, this.#re!);
      case 'ss':
        return sharedSecret(s!, this.#rs!);
      case 'es':
        return this.#initiator ? sharedSecret(e!, this.#rs!) : sharedSecret(s!, this.#re!);
      case 'se':
        return this.#initiator ? sharedSecret(s!, this.#re!) : sharedSecret(e!, this.#rs!);
    }
  }

  /** Missing keys are a caller's mistake, caught before any message rather than mid-handshake. */
  #requireKeys(name: PatternName): void {
    const pattern = PATTERNS[name];
    const ownDh = this.#initiator ? 'se' : 'es';
    const needsStatic =
      (pattern.responderStaticKnown && !this.#initiator) ||
      pattern.messages.some((tokens, i) => (i % 2 === 0) === this.#initiator && tokens.includes('s')) ||
      pattern.messages.some((tokens) => tokens.includes('ss') || tokens.includes(ownDh));
    if (needsStatic && !this.#s) throw new TypeError(`Noise ${name} needs this side's static key pair`);
    if (pattern.responderStaticKnown && this.#initiator && !this.#rs) throw new TypeError(`Noise ${name} needs the responder's static key in advance`);
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
