import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import type { OpHandlers, WorkerOps } from './ops.ts';
import { BadRequestError, bytes, list, record, strings } from './protocol.ts';

/**
 * The sync worker's ops (ops.ts `sync`): the CPU-heavy parts of CHUM, off the main thread —
 * hashing received bytes to check them against their addresses, and diffing two peers' lists of
 * object hashes to see what each lacks.
 */
export function syncOps(crypto: CryptoProvider): OpHandlers<WorkerOps['sync']> {
  return {
    hashBatch: (payload) => list(record(payload).items, 'items').map((item, i) => crypto.sha256Hex(bytes(item, `items[${i}]`))),
    diff: (payload) => {
      const p = record(payload);
      return diffSorted(ascending(strings(p.ours, 'ours'), 'ours'), ascending(strings(p.theirs, 'theirs'), 'theirs'));
    },
  };
}

/** One merge walk over two strictly ascending lists: O(n + m), no sets built. */
export function diffSorted(ours: readonly string[], theirs: readonly string[]): { theyLack: string[]; weLack: string[] } {
  const theyLack: string[] = [];
  const weLack: string[] = [];
  let i = 0;
  let j = 0;
  while (i < ours.length && j < theirs.length) {
    const a = ours[i]!;
    const b = theirs[j]!;
    if (a === b) {
      i++;
      j++;
    } else if (a < b) {
      theyLack.push(a);
      i++;
    } else {
      weLack.push(b);
      j++;
    }
  }
  theyLack.push(...ours.slice(i));
  weLack.push(...theirs.slice(j));
  return { theyLack, weLack };
}

/** The merge walk is only right on strictly ascending input, so anything else is refused, not guessed at. */
function ascending(items: string[], name: string): string[] {
  for (let i = 1; i < items.length; i++) {
    if (!(items[i - 1]! < items[i]!)) throw new BadRequestError(`${name} must be strictly ascending (index ${i})`);
  }
  return items;
}
