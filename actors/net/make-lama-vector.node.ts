/**
 * Writes actors/net/lama-vector.json: `npx tsx actors/net/make-lama-vector.node.ts`. Inputs are
 * derived from fixed labels (SHA-256 of each), so anyone can re-derive them; outputs are what this
 * implementation sends. Run once when the format changes on purpose, and say so in the commit.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeCrypto } from '../crypto/node-crypto.node.ts';
import { recordTranscript, type VectorInputs, type VectorParty } from './lama-vector.ts';

const derive = (label: string) => nodeCrypto.sha256Hex(new TextEncoder().encode(`lama-vector/${label}`));
const party = (role: string): VectorParty => ({
  personId: derive(`${role}/person`),
  instanceId: derive(`${role}/instance`),
  signSeed: derive(`${role}/sign`),
  staticSecret: derive(`${role}/static`),
  ephemeralSecret: derive(`${role}/ephemeral`),
});
const inputs: VectorInputs = { initiator: party('initiator'), responder: party('responder') };
const transcript = await recordTranscript(nodeCrypto, inputs);
const file = {
  description: 'LAMA/1 secure channel session (specs/handshake.md §9): inputs, then every message on the wire in order, with the events the receiver emits for it',
  inputs,
  ...transcript,
};
writeFileSync(join(import.meta.dirname, 'lama-vector.json'), `${JSON.stringify(file, null, 2)}\n`);
