import * as dagCbor from '@ipld/dag-cbor';
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { bytesToHex, hexToBytes, type SHA256Hash } from '../store/hash.ts';
import type { Identity } from '../identity/identity.ts';

/**
 * Invitations (specs/pairing.md §2): how one Instance lets another pair with it. The token names
 * the inviter (person, instance and the keys the invitee must see in the handshake), where to
 * dial, when it expires, and a one-time secret; the inviter's Instance key signs it, so a token
 * altered on its way (a link retyped, a QR code misread) is refused rather than trusted.
 */
export interface Invitation {
  readonly v: 1;
  readonly url: string;
  readonly personId: SHA256Hash;
  readonly instanceId: SHA256Hash;
  readonly signKey: Uint8Array;
  readonly staticKey: Uint8Array;
  /** One-time secret the invitee presents when it pairs. */
  readonly secret: Uint8Array;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

export type InvitationErrorCode = 'MALFORMED' | 'TAMPERED' | 'EXPIRED' | 'USED' | 'UNKNOWN' | 'FOREIGN';

export class InvitationError extends Error {
  override readonly name = 'InvitationError';
  constructor(
    readonly code: InvitationErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const DOMAIN = new TextEncoder().encode('lama/invitation/v1\n');
export const DEFAULT_INVITATION_TTL_MS = 15 * 60_000;

function signedBytes(invitation: Invitation): Uint8Array {
  const body = dagCbor.encode({ ...invitation, personId: hexToBytes(invitation.personId), instanceId: hexToBytes(invitation.instanceId) });
  const out = new Uint8Array(DOMAIN.byteLength + body.byteLength);
  out.set(DOMAIN);
  out.set(body, DOMAIN.byteLength);
  return out;
}

/** A new invitation from `identity`'s Instance, as the token to hand over (link, QR code, IPC). */
export function createInvitation(crypto: CryptoProvider, identity: Identity, options: { url: string; now?: number; ttlMs?: number }): { invitation: Invitation; token: string } {
  const invitation: Invitation = {
    v: 1,
    url: options.url,
    personId: identity.personId,
    instanceId: identity.instanceId,
    signKey: identity.instance.signer.publicKey,
    staticKey: identity.instance.encryptionPublicKey,
    secret: crypto.randomBytes(32),
    expiresAt: (options.now ?? Date.now()) + (options.ttlMs ?? DEFAULT_INVITATION_TTL_MS),
  };
  const signature = identity.instance.signer.sign(signedBytes(invitation));
  return { invitation, token: toBase64Url(dagCbor.encode({ i: { ...invitation, personId: hexToBytes(invitation.personId), instanceId: hexToBytes(invitation.instanceId) }, s: signature })) };
}

/** Reads a token: checks its form, its signature by the inviter's key and its expiry. */
export function readInvitation(crypto: CryptoProvider, token: string, now: number = Date.now()): Invitation {
  let decoded: { i?: Record<string, unknown>; s?: unknown };
  try {
    decoded = dagCbor.decode(fromBase64Url(token.trim())) as typeof decoded;
  } catch {
    throw new InvitationError('MALFORMED', 'this is not a LAMA invitation (it does not decode)');
  }
  const raw = decoded.i;
  const ok =
    raw &&
    raw.v === 1 &&
    typeof raw.url === 'string' &&
    [raw.personId, raw.instanceId].every((b) => b instanceof Uint8Array && b.byteLength === 32) &&
    [raw.signKey, raw.staticKey, raw.secret].every((b) => b instanceof Uint8Array && b.byteLength === 32) &&
    Number.isSafeInteger(raw.expiresAt) &&
    decoded.s instanceof Uint8Array;
  if (!ok) throw new InvitationError('MALFORMED', 'this invitation is missing parts or has parts of the wrong kind');
  const invitation: Invitation = {
    v: 1,
    url: raw.url as string,
    personId: bytesToHex(raw.personId as Uint8Array) as SHA256Hash,
    instanceId: bytesToHex(raw.instanceId as Uint8Array) as SHA256Hash,
    signKey: raw.signKey as Uint8Array,
    staticKey: raw.staticKey as Uint8Array,
    secret: raw.secret as Uint8Array,
    expiresAt: raw.expiresAt as number,
  };
  if (!crypto.ed25519.verify(invitation.signKey, signedBytes(invitation), decoded.s as Uint8Array)) {
    throw new InvitationError('TAMPERED', 'this invitation was altered: its signature does not verify');
  }
  if (now >= invitation.expiresAt) throw new InvitationError('EXPIRED', `this invitation expired at ${new Date(invitation.expiresAt).toISOString()}`);
  return invitation;
}

/**
 * The inviter's side: the invitations it issued and not yet redeemed. Single use: redeeming
 * consumes the secret whether or not the rest of pairing succeeds.
 */
export class InvitationBook {
  readonly #open = new Map<string, Invitation>();

  constructor(private readonly now: () => number = Date.now) {}

  add(invitation: Invitation): void {
    this.#open.set(bytesToHex(invitation.secret), invitation);
    this.#sweep();
  }

  redeem(secret: Uint8Array): Invitation {
    const key = bytesToHex(secret);
    const invitation = this.#open.get(key);
    if (!invitation) throw new InvitationError('UNKNOWN', 'no open invitation has this secret (unknown, or already used)');
    this.#open.delete(key);
    if (this.now() >= invitation.expiresAt) throw new InvitationError('EXPIRED', 'this invitation has expired');
    return invitation;
  }

  get size(): number {
    this.#sweep();
    return this.#open.size;
  }

  #sweep(): void {
    const now = this.now();
    for (const [key, invitation] of this.#open) if (now >= invitation.expiresAt) this.#open.delete(key);
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}
