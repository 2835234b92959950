import type { SHA256Hash } from '../store/hash.ts';
import type { ItemKind } from './messages.ts';

/** What a receiver is about to fetch: an offered item, or a reference of something it stored. */
export interface Candidate {
  readonly hash: SHA256Hash;
  readonly kind: ItemKind;
  readonly size?: number;
  readonly type?: string;
  readonly reason: 'offer' | 'reference';
}

/**
 * The sparse receiver's hook (specs/chum.md §7): 'now' fetches in the background, 'later' leaves
 * it for an explicit `fetch` (it still counts as handled for the cursor).
 */
export type FetchPolicy = (candidate: Candidate) => 'now' | 'later';
export const fetchEverything: FetchPolicy = () => 'now';

export interface FetchResult {
  readonly fetched: SHA256Hash[];
  /** What the peer does not have, or may not give us. */
  readonly missing: SHA256Hash[];
}

export interface SyncProgress {
  readonly objectsDone: number;
  readonly objectsTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}
