import { open } from 'node:fs/promises';
import { GGML_TYPES, GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_TYPE, alignUp, tensorByteSize } from '../../actors/ai/embedded/gguf/gguf-format.ts';

/**
 * Writes a GGUF file (format: actors/ai/embedded/gguf/gguf-format.ts) — for tests, which need real
 * model files without downloading any. Metadata is typed per entry; tensor data is produced per
 * tensor by a callback, so a 100 MB model never sits in memory whole.
 */

export type MetaEntry =
  | { type: 'string'; value: string }
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'strings'; value: readonly string[] }
  | { type: 'i32s'; value: readonly number[] }
  | { type: 'f32s'; value: readonly number[] };

export const meta = {
  string: (value: string): MetaEntry => ({ type: 'string', value }),
  u32: (value: number): MetaEntry => ({ type: 'u32', value }),
  i32: (value: number): MetaEntry => ({ type: 'i32', value }),
  f32: (value: number): MetaEntry => ({ type: 'f32', value }),
  bool: (value: boolean): MetaEntry => ({ type: 'bool', value }),
  strings: (value: readonly string[]): MetaEntry => ({ type: 'strings', value }),
  i32s: (value: readonly number[]): MetaEntry => ({ type: 'i32s', value }),
  f32s: (value: readonly number[]): MetaEntry => ({ type: 'f32s', value }),
};

export interface TensorSpec {
  name: string;
  /** Innermost first (ggml's `ne`). */
  dims: readonly number[];
  /** A ggml type id (gguf-format.ts GGML_TYPE). */
  type: number;
  /** Fills the tensor's bytes (exactly its size, zeroed on entry). */
  fill: (bytes: Uint8Array) => void;
}

export interface GgufSpec {
  metadata: Record<string, MetaEntry>;
  tensors: readonly TensorSpec[];
}

/** Writes `spec` to `path`. Returns the file's size. */
export async function writeGguf(path: string, spec: GgufSpec): Promise<number> {
  const header = new ByteBuilder();
  header.u32(GGUF_MAGIC).u32(3).u64(spec.tensors.length).u64(Object.keys(spec.metadata).length);
  for (const [key, entry] of Object.entries(spec.metadata)) writeEntry(header.string(key), entry);

  let offset = 0;
  const sizes: number[] = [];
  for (const tensor of spec.tensors) {
    const type = GGML_TYPES[tensor.type];
    const size = type && tensorByteSize(type, tensor.dims);
    if (size === undefined) throw new Error(`tensor ${tensor.name}: shape ${tensor.dims.join('×')} does not fit type ${tensor.type}`);
    header.string(tensor.name).u32(tensor.dims.length);
    for (const d of tensor.dims) header.u64(d);
    header.u32(tensor.type).u64(offset);
    sizes.push(size);
    offset = alignUp(offset + size, GGUF_DEFAULT_ALIGNMENT);
  }
  const headerBytes = header.bytes();
  const dataStart = alignUp(headerBytes.length, GGUF_DEFAULT_ALIGNMENT);

  const file = await open(path, 'w');
  try {
    await file.write(headerBytes, 0, headerBytes.length, 0);
    let position = dataStart;
    for (const [i, tensor] of spec.tensors.entries()) {
      const bytes = new Uint8Array(sizes[i]!);
      tensor.fill(bytes);
      await file.write(bytes, 0, bytes.length, position);
      position = alignUp(position + bytes.length, GGUF_DEFAULT_ALIGNMENT);
    }
    // The last tensor's padding is part of the file (readers expect the data section whole).
    await file.truncate(position);
    return position;
  } finally {
    await file.close();
  }
}

function writeEntry(out: ByteBuilder, entry: MetaEntry): void {
  switch (entry.type) {
    case 'string':
      out.u32(GGUF_TYPE.STRING).string(entry.value);
      return;
    case 'u32':
      out.u32(GGUF_TYPE.UINT32).u32(entry.value);
      return;
    case 'i32':
      out.u32(GGUF_TYPE.INT32).i32(entry.value);
      return;
    case 'f32':
      out.u32(GGUF_TYPE.FLOAT32).f32(entry.value);
      return;
    case 'bool':
      out.u32(GGUF_TYPE.BOOL).u8(entry.value ? 1 : 0);
      return;
    case 'strings':
      out.u32(GGUF_TYPE.ARRAY).u32(GGUF_TYPE.STRING).u64(entry.value.length);
      for (const item of entry.value) out.string(item);
      return;
    case 'i32s':
      out.u32(GGUF_TYPE.ARRAY).u32(GGUF_TYPE.INT32).u64(entry.value.length);
      for (const item of entry.value) out.i32(item);
      return;
    case 'f32s':
      out.u32(GGUF_TYPE.ARRAY).u32(GGUF_TYPE.FLOAT32).u64(entry.value.length);
      for (const item of entry.value) out.f32(item);
      return;
  }
}

/** A growable little-endian byte buffer. */
class ByteBuilder {
  #bytes = new Uint8Array(1 << 16);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;

  #room(n: number): number {
    if (this.#length + n > this.#bytes.length) {
      const bigger = new Uint8Array(Math.max(this.#bytes.length * 2, this.#length + n));
      bigger.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = bigger;
      this.#view = new DataView(bigger.buffer);
    }
    const at = this.#length;
    this.#length += n;
    return at;
  }

  u8(value: number): this {
    const at = this.#room(1);
    this.#view.setUint8(at, value);
    return this;
  }
  u32(value: number): this {
    const at = this.#room(4);
    this.#view.setUint32(at, value, true);
    return this;
  }
  i32(value: number): this {
    const at = this.#room(4);
    this.#view.setInt32(at, value, true);
    return this;
  }
  f32(value: number): this {
    const at = this.#room(4);
    this.#view.setFloat32(at, value, true);
    return this;
  }
  u64(value: number): this {
    const at = this.#room(8);
    this.#view.setBigUint64(at, BigInt(value), true);
    return this;
  }
  string(value: string): this {
    const utf8 = new TextEncoder().encode(value);
    this.u64(utf8.length);
    const at = this.#room(utf8.length); // may grow the buffer: take the position first
    this.#bytes.set(utf8, at);
    return this;
  }
  bytes(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }
}
