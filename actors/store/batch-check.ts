import { isSHA256Hash } from './hash.ts';
import { StoreError } from './store-error.ts';
import type { WriteBatch } from './storage-adapter.ts';

/**
 * Checks the shape of a write batch before an adapter touches anything, so a malformed batch is
 * refused whole instead of failing halfway inside a backend. Adapters call it first in `write`.
 */
export function checkWriteBatch(batch: WriteBatch): void {
  const bad = (what: string) => new StoreError('FIELD_TYPE', `write batch: ${what}`);
  for (const object of batch.objects ?? []) {
    if (!isSHA256Hash(object.hash)) throw bad(`object hash ${String(object.hash)} is not a SHA-256 hash`);
    if (typeof object.type !== 'string' || object.type === '') throw bad(`object ${object.hash} has no type`);
    if (!(object.bytes instanceof Uint8Array)) throw bad(`object ${object.hash} has no bytes`);
  }
  for (const ref of batch.references ?? []) {
    if (!isSHA256Hash(ref.target) || !isSHA256Hash(ref.source) || typeof ref.type !== 'string') {
      throw bad(`reference ${String(ref.source)} → ${String(ref.target)} is malformed`);
    }
  }
  for (const entry of batch.heads ?? []) {
    if (!isSHA256Hash(entry.idHash) || !entry.heads.every(isSHA256Hash)) throw bad(`heads of ${String(entry.idHash)} are malformed`);
  }
  for (const secret of batch.secrets ?? []) {
    if (typeof secret.name !== 'string' || secret.name === '') throw bad('a secret has no name');
    if (secret.value !== null && !(secret.value instanceof Uint8Array)) throw bad(`secret ${secret.name} is not bytes`);
  }
}
