/**
 * A GPT-2-style byte-level BPE vocabulary, generated (no download): the three ChatML special tokens,
 * the 256 byte tokens in GPT-2's printable byte-to-character mapping (space is "Ġ", newline "Ċ"),
 * then merges until the vocabulary has the size asked for — first "Ġ" + letter and letter pairs,
 * then pseudo-random pairs of existing tokens. Every merge joins two tokens that exist before it, and
 * no token appears twice (llama.cpp asserts on both). Deterministic for a given size and seed.
 */

export const SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;
export const BOS_ID = 1; // <|im_start|>, as SmolLM2-Instruct
export const EOS_ID = 2; // <|im_end|>

/** llama.cpp token types. */
export const TOKEN_TYPE = { normal: 1, control: 3 } as const;

export interface BpeVocabulary {
  tokens: string[];
  types: number[];
  merges: string[];
}

/** GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 onwards. */
export function byteCharacters(): string[] {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const chars: string[] = [];
  let next = 0;
  for (let b = 0; b < 256; b++) chars.push(String.fromCodePoint(printable(b) ? b : 256 + next++));
  return chars;
}

export function bpeVocabulary(size: number, seed = 0x5eed): BpeVocabulary {
  const tokens: string[] = [...SPECIAL_TOKENS];
  const types: number[] = SPECIAL_TOKENS.map(() => TOKEN_TYPE.control);
  const merges: string[] = [];
  const known = new Set<string>(tokens);
  const add = (text: string) => {
    known.add(text);
    tokens.push(text);
    types.push(TOKEN_TYPE.normal);
  };
  for (const char of byteCharacters()) add(char);
  if (size < tokens.length) throw new Error(`a byte-level vocabulary needs at least ${tokens.length} tokens`);

  const merge = (left: string, right: string) => {
    const joined = left + right;
    if (known.has(joined) || tokens.length >= size) return;
    merges.push(`${left} ${right}`);
    add(joined);
  };
  const letters = 'etaoinshrdlcumwfgypbvkjxqz'.split('');
  for (const a of letters) merge('Ġ', a);
  for (const a of letters) for (const b of letters) merge(a, b);

  const random = xorshift(seed);
  const first = SPECIAL_TOKENS.length;
  while (tokens.length < size) {
    const left = tokens[first + Math.floor(random() * (tokens.length - first))]!;
    const right = tokens[first + Math.floor(random() * (tokens.length - first))]!;
    if (left.length + right.length <= 12) merge(left, right);
  }
  return { tokens, types, merges };
}

/** A small seeded PRNG (xorshift32), uniform in [0, 1). */
export function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}
