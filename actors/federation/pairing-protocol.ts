import * as dagCbor from '@ipld/dag-cbor';
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { acceptCard, myCard, type CardClaim } from '../identity/contacts.ts';
import type { Identity } from '../identity/identity.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { InvitationError, type Invitation, type InvitationBook } from './invitation.ts';

/**
 * Pairing (specs/pairing.md §3): the first exchange on a secure connection between two Instances
 * that are not yet contacts. The dialer presents the invitation's secret and its card; the
 * listener redeems the invitation, keeps the card, and answers with its own; the dialer keeps
 * that. Then both hold each other as contacts and the same connection goes on as CHUM.
 */
export interface PairingSession {
  send(body: Uint8Array): void;
  on(type: 'data', listener: (body: Uint8Array) => void): () => void;
}

type PairingMessage =
  | { t: 'pair'; secret: Uint8Array; card: Uint8Array[] }
  | { t: 'paired'; card: Uint8Array[] }
  | { t: 'pair-refused'; code: string; message: string };

export class PairingError extends Error {
  override readonly name = 'PairingError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const PAIRING_TIMEOUT_MS = 30_000;

interface Side {
  readonly store: ObjectStore;
  readonly crypto: CryptoProvider;
  readonly identity: Identity;
  /** The peer as the handshake proved it. */
  readonly peer: CardClaim;
  readonly timeoutMs?: number;
}

/** The listener's side. Resolves with the new contact's Someone ID hash. */
export async function answerPairing(session: PairingSession, side: Side & { readonly book: InvitationBook }): Promise<SHA256Hash> {
  const message = await nextMessage(session, side.timeoutMs);
  if (message.t !== 'pair') throw refuse(session, 'PROTOCOL', `expected a pairing request, got ${message.t}`);
  try {
    side.book.redeem(message.secret);
  } catch (error) {
    if (error instanceof InvitationError) throw refuse(session, `INVITATION_${error.code}`, error.message);
    throw error;
  }
  const someone = await keepCard(session, side, message.card);
  session.send(dagCbor.encode({ t: 'paired', card: await myCard(side.store, side.identity) }));
  return someone;
}

/** The dialer's side, with the invitation it was given. Resolves with the new contact's Someone ID hash. */
export async function requestPairing(session: PairingSession, side: Side & { readonly invitation: Invitation }): Promise<SHA256Hash> {
  session.send(dagCbor.encode({ t: 'pair', secret: side.invitation.secret, card: await myCard(side.store, side.identity) }));
  const answer = await nextMessage(session, side.timeoutMs);
  if (answer.t === 'pair-refused') throw new PairingError(answer.code, answer.message);
  if (answer.t !== 'paired') throw refuse(session, 'PROTOCOL', `expected the peer's card, got ${answer.t}`);
  return keepCard(session, side, answer.card);
}

async function keepCard(session: PairingSession, side: Side, card: Uint8Array[]): Promise<SHA256Hash> {
  try {
    return await acceptCard(side.store, side.crypto, card, side.peer);
  } catch (error) {
    throw refuse(session, 'CARD_REFUSED', (error as Error).message);
  }
}

function refuse(session: PairingSession, code: string, message: string): PairingError {
  session.send(dagCbor.encode({ t: 'pair-refused', code, message }));
  return new PairingError(code, message);
}

function nextMessage(session: PairingSession, timeoutMs = PAIRING_TIMEOUT_MS): Promise<PairingMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new PairingError('TIMEOUT', `the peer said nothing for ${timeoutMs} ms while pairing`));
    }, timeoutMs);
    const off = session.on('data', (body) => {
      clearTimeout(timer);
      off();
      try {
        resolve(parse(body));
      } catch (error) {
        reject(error);
      }
    });
  });
}

function parse(body: Uint8Array): PairingMessage {
  let message: Record<string, unknown>;
  try {
    message = dagCbor.decode(body) as Record<string, unknown>;
  } catch {
    throw new PairingError('PROTOCOL', 'a pairing message did not decode');
  }
  const cardOk = (card: unknown) => Array.isArray(card) && card.length <= 256 && card.every((b) => b instanceof Uint8Array);
  if (message.t === 'pair' && message.secret instanceof Uint8Array && cardOk(message.card)) return message as PairingMessage;
  if (message.t === 'paired' && cardOk(message.card)) return message as PairingMessage;
  if (message.t === 'pair-refused' && typeof message.code === 'string' && typeof message.message === 'string') return message as PairingMessage;
  throw new PairingError('PROTOCOL', `not a pairing message: ${String(message.t)}`);
}
