/**
 * Regenerates specs/object-vectors.json from OBJECT_VECTOR_CASES: `npx tsx tests/vectors/make-object-vectors.node.ts`.
 * Only for adding cases: a changed byte or hash for an existing case is a breaking format change.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeObject } from '../../actors/store/encoding.ts';
import { bytesToHex } from '../../actors/store/hash.ts';
import { OBJECT_VECTOR_CASES, toVectorJson } from './object-vector-cases.ts';

const vectors = OBJECT_VECTOR_CASES.map(({ name, object }) => {
  const bytes = encodeObject(object);
  return { name, object: toVectorJson(object), bytes: bytesToHex(bytes), sha256: createHash('sha256').update(bytes).digest('hex') };
});
writeFileSync(join(import.meta.dirname, '..', '..', 'specs', 'object-vectors.json'), `${JSON.stringify(vectors, null, 2)}\n`);
console.log(`wrote ${vectors.length} vectors`);
