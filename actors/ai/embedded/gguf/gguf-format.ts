/**
 * The GGUF container format (ggml's model file, version 2 and 3), as much as LAMA needs to check a
 * file before native code touches it (specs/llm-embedded.md §3) and, in tests, to write one:
 *
 *   magic "GGUF" · version u32 · tensor count u64 · metadata count u64
 *   metadata: key (string) · value type u32 · value
 *   tensor infos: name (string) · n_dims u32 · dims u64[n_dims] · ggml type u32 · offset u64
 *   padding to `general.alignment` (default 32) · tensor data (each tensor at its aligned offset)
 *
 * All little-endian; a string is a u64 byte length and UTF-8 bytes. Source of truth: ggml's
 * `docs/gguf.md` and `ggml/include/ggml.h`; the block sizes below match the native runtime's own
 * `ggml_type_size`/`ggml_blck_size` (a test compares them).
 */

/** "GGUF" read as a little-endian u32. */
export const GGUF_MAGIC = 0x46554747;
export const GGUF_VERSIONS: readonly number[] = [2, 3];
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Metadata value types. */
export const GGUF_TYPE = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

export type GgufValueType = (typeof GGUF_TYPE)[keyof typeof GGUF_TYPE];

/** Byte width of each fixed-size value type (strings and arrays have none). */
export const VALUE_WIDTH: Readonly<Record<number, number>> = {
  [GGUF_TYPE.UINT8]: 1,
  [GGUF_TYPE.INT8]: 1,
  [GGUF_TYPE.UINT16]: 2,
  [GGUF_TYPE.INT16]: 2,
  [GGUF_TYPE.UINT32]: 4,
  [GGUF_TYPE.INT32]: 4,
  [GGUF_TYPE.FLOAT32]: 4,
  [GGUF_TYPE.BOOL]: 1,
  [GGUF_TYPE.UINT64]: 8,
  [GGUF_TYPE.INT64]: 8,
  [GGUF_TYPE.FLOAT64]: 8,
};

/** A ggml tensor type: `typeSize` bytes hold one block of `blockSize` elements. */
export interface GgmlType {
  readonly name: string;
  readonly blockSize: number;
  readonly typeSize: number;
}

/** Every ggml tensor type in use (ids 4, 5, 31–33 and 36–38 were removed from ggml and are rejected). */
export const GGML_TYPES: Readonly<Record<number, GgmlType>> = {
  0: { name: 'F32', blockSize: 1, typeSize: 4 },
  1: { name: 'F16', blockSize: 1, typeSize: 2 },
  2: { name: 'Q4_0', blockSize: 32, typeSize: 18 },
  3: { name: 'Q4_1', blockSize: 32, typeSize: 20 },
  6: { name: 'Q5_0', blockSize: 32, typeSize: 22 },
  7: { name: 'Q5_1', blockSize: 32, typeSize: 24 },
  8: { name: 'Q8_0', blockSize: 32, typeSize: 34 },
  9: { name: 'Q8_1', blockSize: 32, typeSize: 36 },
  10: { name: 'Q2_K', blockSize: 256, typeSize: 84 },
  11: { name: 'Q3_K', blockSize: 256, typeSize: 110 },
  12: { name: 'Q4_K', blockSize: 256, typeSize: 144 },
  13: { name: 'Q5_K', blockSize: 256, typeSize: 176 },
  14: { name: 'Q6_K', blockSize: 256, typeSize: 210 },
  15: { name: 'Q8_K', blockSize: 256, typeSize: 292 },
  16: { name: 'IQ2_XXS', blockSize: 256, typeSize: 66 },
  17: { name: 'IQ2_XS', blockSize: 256, typeSize: 74 },
  18: { name: 'IQ3_XXS', blockSize: 256, typeSize: 98 },
  19: { name: 'IQ1_S', blockSize: 256, typeSize: 50 },
  20: { name: 'IQ4_NL', blockSize: 32, typeSize: 18 },
  21: { name: 'IQ3_S', blockSize: 256, typeSize: 110 },
  22: { name: 'IQ2_S', blockSize: 256, typeSize: 82 },
  23: { name: 'IQ4_XS', blockSize: 256, typeSize: 136 },
  24: { name: 'I8', blockSize: 1, typeSize: 1 },
  25: { name: 'I16', blockSize: 1, typeSize: 2 },
  26: { name: 'I32', blockSize: 1, typeSize: 4 },
  27: { name: 'I64', blockSize: 1, typeSize: 8 },
  28: { name: 'F64', blockSize: 1, typeSize: 8 },
  29: { name: 'IQ1_M', blockSize: 256, typeSize: 56 },
  30: { name: 'BF16', blockSize: 1, typeSize: 2 },
  34: { name: 'TQ1_0', blockSize: 256, typeSize: 54 },
  35: { name: 'TQ2_0', blockSize: 256, typeSize: 66 },
  39: { name: 'MXFP4', blockSize: 32, typeSize: 17 },
  40: { name: 'NVFP4', blockSize: 64, typeSize: 36 },
  41: { name: 'Q1_0', blockSize: 128, typeSize: 18 },
  42: { name: 'Q2_0', blockSize: 64, typeSize: 18 },
};

export const GGML_TYPE = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8 } as const;

/** ggml tensors have at most four dimensions. */
export const GGML_MAX_DIMS = 4;

/**
 * Bytes a tensor's data takes, or undefined when its shape does not fit its type (the innermost
 * dimension must be a whole number of blocks).
 */
export function tensorByteSize(type: GgmlType, dims: readonly number[]): number | undefined {
  const [rowLength = 1, ...rest] = dims;
  if (rowLength % type.blockSize !== 0) return undefined;
  const rows = rest.reduce((n, d) => n * d, 1);
  return (rowLength / type.blockSize) * type.typeSize * rows;
}

export const alignUp = (offset: number, alignment: number): number => Math.ceil(offset / alignment) * alignment;
