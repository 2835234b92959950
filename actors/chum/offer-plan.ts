import type { SHA256Hash } from '../store/hash.ts';
import type { Closure } from './closure.ts';
import type { Root } from './grants.ts';
import { MAX_OFFER_ITEMS, type MessageOf, type OfferItem } from './messages.ts';

/**
 * Which visible objects a session offers first (specs/chum.md §5.2), and how they are cut into
 * offers. With no cursor, everything. With the peer's cursor N: every object that arrived after
 * N; the start of every root granted since N (or reached through a group joined since N); and
 * whatever attaches (a Signature, an identity's versions or Keys) to an object reached from those
 * or from an object newer than N. What such new objects merely reference the receiver fetches
 * itself (§6.3), so an old object that became visible through a new one is never lost — and
 * what the peer acknowledged before the cut is not announced again.
 */
export function objectsToOffer(closure: Closure, seqs: ReadonlyMap<SHA256Hash, number>, cursor: number, newRoots: readonly Root[]): Set<SHA256Hash> {
  const isNew = (hash: SHA256Hash) => (seqs.get(hash) ?? Infinity) > cursor;
  const offer = new Set<SHA256Hash>();
  const hot = new Set<SHA256Hash>();
  const queue: SHA256Hash[] = [];
  const heat = (hash: SHA256Hash) => {
    if (hot.has(hash)) return;
    hot.add(hash);
    queue.push(hash);
  };
  for (const hash of closure.present) {
    if (!isNew(hash)) continue;
    offer.add(hash);
    heat(hash);
  }
  for (const root of newRoots) {
    for (const start of closure.starts.get(root) ?? []) {
      if (closure.info.has(start)) offer.add(start);
      heat(start);
    }
  }
  while (queue.length > 0) {
    const edges = closure.edges.get(queue.pop()!);
    if (!edges) continue;
    edges.forward.forEach(heat);
    for (const attached of edges.attached) {
      if (closure.info.has(attached)) offer.add(attached);
      heat(attached);
    }
  }
  return offer;
}

/**
 * Cuts one round into offers: objects by arrival, then BLOBs. Each offer's `through` is the
 * arrival number up to which the round is then complete, never past `mark` (the store's last
 * number when the round began); the last offer carries `mark` itself. The first carries the round's
 * totals, for progress.
 */
export function offersOf(objects: readonly (OfferItem & { seq: number })[], blobs: readonly OfferItem[], mark: number): MessageOf<'offer'>[] {
  const sorted = [...objects].sort((a, b) => a.seq - b.seq);
  const items: (OfferItem & { seq?: number })[] = [...sorted, ...blobs];
  const offers: MessageOf<'offer'>[] = [];
  for (let start = 0; start === 0 || start < items.length; start += MAX_OFFER_ITEMS) {
    const batch = items.slice(start, start + MAX_OFFER_ITEMS);
    const lastSeq = batch.findLast((item) => item.seq !== undefined)?.seq;
    const isLast = start + MAX_OFFER_ITEMS >= items.length;
    const through = isLast || lastSeq === undefined ? mark : Math.min(lastSeq, mark);
    offers.push({
      t: 'offer',
      items: batch.map(({ hash, kind, size, type }) => (type === undefined ? { hash, kind, size } : { hash, kind, size, type })),
      through,
      ...(start === 0 ? { round: { objects: items.length, bytes: items.reduce((sum, item) => sum + item.size, 0) } } : {}),
    });
  }
  return offers;
}
