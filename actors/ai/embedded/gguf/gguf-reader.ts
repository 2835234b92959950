import { GGML_MAX_DIMS, GGML_TYPES, GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_TYPE, GGUF_VERSIONS, VALUE_WIDTH, alignUp, tensorByteSize } from './gguf-format.ts';

/**
 * Reads and checks a GGUF file's header — metadata and tensor table — without reading the tensor
 * data. The native runtime trusts its input: a truncated or corrupt file can make it abort the
 * whole process (that is why inference runs in a child process at all), so every file is read here
 * first, and anything that does not add up is refused with a GgufError naming what is wrong.
 *
 * Bounded work on hostile input: every count and length is checked against the bytes left in the
 * file before anything is allocated, and large arrays (a vocabulary of 150,000 tokens) are skipped
 * over and kept only as their item type and length.
 */

export type GgufProblem =
  | 'BAD_MAGIC' // not a GGUF file at all
  | 'UNSUPPORTED_VERSION' // a GGUF version this reader does not know (only 2 and 3 exist)
  | 'TRUNCATED' // the file ends before its header, or before some tensor's data
  | 'MALFORMED' // a length, count, type or key that cannot be right
  | 'BAD_TENSOR' // a tensor of an unknown type, a shape its type cannot have, or a misplaced one
  | 'NOT_A_MODEL'; // a sound GGUF file, but not a language model LAMA can chat with (no architecture, no tokenizer)

export class GgufError extends Error {
  override readonly name = 'GgufError';
  constructor(
    readonly problem: GgufProblem,
    message: string,
  ) {
    super(message);
  }
}

export type GgufScalar = number | bigint | boolean | string;
/** Arrays are kept as their shape only: a header check needs no vocabulary. */
export type GgufArraySummary = { readonly itemType: number; readonly length: number };
export type GgufValue = GgufScalar | GgufArraySummary;

export interface GgufTensorInfo {
  readonly name: string;
  /** Innermost first, as ggml's `ne`. */
  readonly dims: readonly number[];
  readonly type: number;
  /** From the start of the data section. */
  readonly offset: number;
  readonly byteSize: number;
}

export interface GgufHeader {
  readonly version: number;
  readonly metadata: ReadonlyMap<string, GgufValue>;
  readonly tensors: readonly GgufTensorInfo[];
  readonly alignment: number;
  /** Where tensor data starts in the file. */
  readonly dataOffset: number;
}

/** Random access to the file's bytes (a file handle in Node, a Blob in a browser, an array in tests). */
export interface ByteSource {
  readonly size: number;
  /** May return fewer bytes than asked only at the end of the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

const MAX_KEY_BYTES = 65_536;
const MAX_STRING_BYTES = 64 * 1024 * 1024;
const CHUNK = 1024 * 1024;

export async function readGgufHeader(source: ByteSource): Promise<GgufHeader> {
  const cursor = new Cursor(source);
  if (source.size < 24) {
    if (source.size >= 4 && (await cursor.u32()) !== GGUF_MAGIC) throw new GgufError('BAD_MAGIC', 'not a GGUF file: it does not start with "GGUF"');
    throw new GgufError('TRUNCATED', `the file is ${source.size} bytes, shorter than a GGUF header`);
  }
  if ((await cursor.u32()) !== GGUF_MAGIC) throw new GgufError('BAD_MAGIC', 'not a GGUF file: it does not start with "GGUF"');
  const version = await cursor.u32();
  if (!GGUF_VERSIONS.includes(version)) throw new GgufError('UNSUPPORTED_VERSION', `GGUF version ${version} is not supported (only ${GGUF_VERSIONS.join(' and ')})`);
  const tensorCount = await cursor.count('tensor count', 8 + 4 + 4 + 8);
  const kvCount = await cursor.count('metadata count', 8 + 4);

  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = await cursor.string(MAX_KEY_BYTES, 'metadata key');
    if (metadata.has(key)) throw new GgufError('MALFORMED', `metadata key "${key}" appears twice`);
    const type = await cursor.u32();
    metadata.set(key, await cursor.value(type, key));
  }

  const alignmentValue = metadata.get('general.alignment') ?? GGUF_DEFAULT_ALIGNMENT;
  const alignment = typeof alignmentValue === 'number' ? alignmentValue : NaN;
  if (!Number.isInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
    throw new GgufError('MALFORMED', `general.alignment must be a power of two, not ${String(alignmentValue)}`);
  }

  const tensors: GgufTensorInfo[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const name = await cursor.string(MAX_KEY_BYTES, 'tensor name');
    if (names.has(name)) throw new GgufError('MALFORMED', `tensor "${name}" appears twice`);
    names.add(name);
    const nDims = await cursor.u32();
    if (nDims < 1 || nDims > GGML_MAX_DIMS) throw new GgufError('BAD_TENSOR', `tensor "${name}" has ${nDims} dimensions (1 to ${GGML_MAX_DIMS} allowed)`);
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(await cursor.u64(`a dimension of tensor "${name}"`));
    const typeId = await cursor.u32();
    const offset = await cursor.u64(`the offset of tensor "${name}"`);
    const type = GGML_TYPES[typeId];
    if (!type) throw new GgufError('BAD_TENSOR', `tensor "${name}" has unknown type ${typeId}`);
    if (dims.some((d) => d < 1)) throw new GgufError('BAD_TENSOR', `tensor "${name}" has an empty dimension (${dims.join(' × ')})`);
    const byteSize = tensorByteSize(type, dims);
    if (byteSize === undefined || !Number.isSafeInteger(byteSize)) {
      throw new GgufError('BAD_TENSOR', `tensor "${name}" of type ${type.name} cannot have shape ${dims.join(' × ')} (rows of whole ${type.blockSize}-element blocks)`);
    }
    if (offset % alignment !== 0) throw new GgufError('BAD_TENSOR', `tensor "${name}" starts at offset ${offset}, not a multiple of the alignment ${alignment}`);
    tensors.push({ name, dims, type: typeId, offset, byteSize });
  }

  const dataOffset = alignUp(cursor.position, alignment);
  for (const tensor of tensors) {
    const end = dataOffset + tensor.offset + tensor.byteSize;
    if (end > source.size) throw new GgufError('TRUNCATED', `the file ends at byte ${source.size}, before the data of tensor "${tensor.name}" (which ends at byte ${end})`);
  }
  // Tensors may not share bytes: the runtime maps each to its own range.
  const sorted = [...tensors].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    if (previous.offset + previous.byteSize > sorted[i]!.offset) throw new GgufError('BAD_TENSOR', `tensors "${previous.name}" and "${sorted[i]!.name}" overlap`);
  }
  return { version, metadata, tensors, alignment, dataOffset };
}

/** Sequential reads over a ByteSource, a chunk at a time. */
class Cursor {
  position = 0;
  #buffer: Uint8Array = new Uint8Array(0);
  #view: DataView = new DataView(this.#buffer.buffer);
  #bufferStart = 0;

  constructor(private readonly source: ByteSource) {}

  get remaining(): number {
    return this.source.size - this.position;
  }

  /** Make `n` bytes at the position readable from the buffer. */
  async #need(n: number, what: string): Promise<number> {
    if (n > this.remaining) throw new GgufError('TRUNCATED', `the file ends inside the header (reading ${what} at byte ${this.position})`);
    const at = this.position - this.#bufferStart;
    if (at + n <= this.#buffer.length) return at; // the position never moves backwards, so at ≥ 0
    const bytes = await this.source.read(this.position, Math.max(n, CHUNK));
    if (bytes.length < n) throw new GgufError('TRUNCATED', `the file ends inside the header (reading ${what} at byte ${this.position})`);
    this.#buffer = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#bufferStart = this.position;
    return 0;
  }

  async u32(what = 'a number'): Promise<number> {
    const at = await this.#need(4, what);
    this.position += 4;
    return this.#view.getUint32(at, true);
  }

  async u64(what: string): Promise<number> {
    const at = await this.#need(8, what);
    this.position += 8;
    const value = this.#view.getBigUint64(at, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufError('MALFORMED', `${what} is ${value}, too large for any real file`);
    return Number(value);
  }

  /** A count of items, each at least `minItemBytes` long: it cannot exceed what the file holds. */
  async count(what: string, minItemBytes: number): Promise<number> {
    const n = await this.u64(what);
    if (n * minItemBytes > this.remaining) throw new GgufError('MALFORMED', `${what} ${n} cannot fit in the ${this.remaining} bytes left`);
    return n;
  }

  async string(maxBytes: number, what: string): Promise<string> {
    const length = await this.u64(`the length of ${what}`);
    if (length > maxBytes) throw new GgufError('MALFORMED', `${what} is ${length} bytes long (at most ${maxBytes})`);
    const at = await this.#need(length, what);
    this.position += length;
    try {
      return DECODER.decode(this.#buffer.subarray(at, at + length));
    } catch {
      throw new GgufError('MALFORMED', `${what} at byte ${this.position - length} is not UTF-8`);
    }
  }

  async value(type: number, key: string): Promise<GgufValue> {
    if (type === GGUF_TYPE.STRING) return this.string(MAX_STRING_BYTES, `the value of ${key}`);
    if (type === GGUF_TYPE.ARRAY) {
      const itemType = await this.u32();
      if (itemType === GGUF_TYPE.ARRAY) throw new GgufError('MALFORMED', `${key} is an array of arrays`);
      const width = VALUE_WIDTH[itemType];
      if (width === undefined && itemType !== GGUF_TYPE.STRING) throw new GgufError('MALFORMED', `${key} holds items of unknown type ${itemType}`);
      const length = await this.count(`the length of ${key}`, width ?? 8);
      if (width !== undefined) this.#skip(length * width, key);
      else for (let i = 0; i < length; i++) this.#skip(await this.u64(`the length of an item of ${key}`), key);
      return { itemType, length };
    }
    const width = VALUE_WIDTH[type];
    if (width === undefined) throw new GgufError('MALFORMED', `${key} has unknown value type ${type}`);
    const at = await this.#need(width, key);
    this.position += width;
    const view = this.#view;
    switch (type) {
      case GGUF_TYPE.UINT8:
        return view.getUint8(at);
      case GGUF_TYPE.INT8:
        return view.getInt8(at);
      case GGUF_TYPE.UINT16:
        return view.getUint16(at, true);
      case GGUF_TYPE.INT16:
        return view.getInt16(at, true);
      case GGUF_TYPE.UINT32:
        return view.getUint32(at, true);
      case GGUF_TYPE.INT32:
        return view.getInt32(at, true);
      case GGUF_TYPE.FLOAT32:
        return view.getFloat32(at, true);
      case GGUF_TYPE.BOOL:
        return view.getUint8(at) !== 0;
      case GGUF_TYPE.UINT64:
        return narrow(view.getBigUint64(at, true));
      case GGUF_TYPE.INT64:
        return narrow(view.getBigInt64(at, true));
      default:
        return view.getFloat64(at, true);
    }
  }

  /** Past `n` bytes; the buffer still serves if the new position is inside it, else the next read refills it. */
  #skip(n: number, what: string): void {
    if (n > this.remaining) throw new GgufError('TRUNCATED', `the file ends inside ${what}`);
    this.position += n;
  }
}

const DECODER = new TextDecoder('utf-8', { fatal: true });

/** 64-bit metadata as a number when it is exact, else kept as a bigint. */
const narrow = (value: bigint): number | bigint => (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value);

/** A metadata value of the expected kind, or undefined. */
export function metaString(header: GgufHeader, key: string): string | undefined {
  const value = header.metadata.get(key);
  return typeof value === 'string' ? value : undefined;
}

export function metaNumber(header: GgufHeader, key: string): number | undefined {
  const value = header.metadata.get(key);
  return typeof value === 'number' ? value : undefined;
}

export function metaArray(header: GgufHeader, key: string): GgufArraySummary | undefined {
  const value = header.metadata.get(key);
  return typeof value === 'object' ? value : undefined;
}
