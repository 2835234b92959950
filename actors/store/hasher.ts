/** The part of a crypto provider the store needs: SHA-256, whole and streamed (actors/crypto). */
export interface Hasher {
  sha256Hex(data: Uint8Array): string;
  createSha256(): { update(chunk: Uint8Array): void; digestHex(): string };
}
