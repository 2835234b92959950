import fc from 'fast-check';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMOLLM2_135M, TINY_LLAMA, testModelPath } from '../../../../tests/support/gguf-test-model.node.ts';
import { meta, writeGguf } from '../../../../tests/support/gguf-writer.node.ts';
import { GGML_TYPE, GGML_TYPES } from './gguf-format.ts';
import { inspectGgufModel } from './gguf-file.node.ts';
import { GgufError, readGgufHeader, type ByteSource, type GgufProblem } from './gguf-reader.ts';

// The header check that stands between a file and the native runtime: it reads the generated
// models as node-llama-cpp's own parser does, and refuses every damaged variant with the problem
// named — including arbitrary truncations and byte flips (property test), which must never make it
// throw anything but a GgufError.

let tiny: Uint8Array;
let dir: string;
beforeAll(async () => {
  tiny = new Uint8Array(await readFile(await testModelPath({ shape: TINY_LLAMA })));
  dir = await mkdtemp(join(tmpdir(), 'lama-gguf-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const source = (bytes: Uint8Array): ByteSource => ({ size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) });

async function problem(bytes: Uint8Array): Promise<{ problem: GgufProblem; message: string }> {
  const error = await readGgufHeader(source(bytes)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GgufError);
  return { problem: (error as GgufError).problem, message: (error as GgufError).message };
}

/** The file with a u32 at `offset` replaced. */
function patched(offset: number, value: number): Uint8Array {
  const copy = tiny.slice();
  new DataView(copy.buffer).setUint32(offset, value, true);
  return copy;
}

/** Where the u32 type id of tensor `name` sits (its name, n_dims, then n_dims u64 dims). */
function typeOffsetOf(name: string, dims: number): number {
  const at = Buffer.from(tiny).indexOf(Buffer.from(name));
  return at + name.length + 4 + 8 * dims;
}

describe('GGUF header reader', () => {
  it('reads the generated model as node-llama-cpp does: metadata, tensors, their offsets', async () => {
    const path = await testModelPath();
    const ours = await readGgufHeader(source(new Uint8Array(await readFile(path))));
    const theirs = await readGgufFileInfo(path, { readTensorInfo: true, ignoreKeys: [] });
    expect(ours.version).toBe(theirs.version);
    expect(ours.tensors.map((t) => [t.name, t.dims, t.type, t.offset])).toEqual(theirs.tensorInfo!.map((t) => [t.name, t.dimensions.map(Number), t.ggmlType, Number(t.offset)]));
    expect(ours.tensors).toHaveLength(2 + 9 * SMOLLM2_135M.layers);
    const metadata = theirs.metadata as unknown as { llama: { block_count: number }; tokenizer: { ggml: { tokens: string[]; merges: string[] } } };
    expect(ours.metadata.get('llama.block_count')).toBe(metadata.llama.block_count);
    expect(ours.metadata.get('tokenizer.ggml.tokens')).toEqual({ itemType: 8, length: metadata.tokenizer.ggml.tokens.length });
    expect(new Set(metadata.tokenizer.ggml.tokens).size).toBe(SMOLLM2_135M.vocab); // no duplicate token
    expect(ours.dataOffset % ours.alignment).toBe(0);
    expect(await inspectGgufModel(path)).toEqual({
      architecture: 'llama',
      name: 'LAMA test model (random weights)',
      contextLength: SMOLLM2_135M.context,
      tensorCount: 272,
      fileSize: (await readFile(path)).length,
    });
  });

  it('knows each tensor type\'s block as the native runtime does, and no type it lacks', async () => {
    const llama = await getLlama({ gpu: false, build: 'never' });
    // Internal, but the only place the runtime states its block sizes (node-llama-cpp's GgufInsights reads them there too).
    const bindings = (llama as unknown as { _bindings: { getTypeSizeForGgmlType(t: number): number | undefined; getBlockSizeForGgmlType(t: number): number | undefined } })._bindings;
    for (let type = 0; type < 64; type++) {
      const size = bindings.getTypeSizeForGgmlType(type) ?? 0;
      const ours = GGML_TYPES[type];
      expect(ours ? [ours.typeSize, ours.blockSize] : [0, 0], `ggml type ${type}`).toEqual(size > 0 ? [size, bindings.getBlockSizeForGgmlType(type)] : [0, 0]);
    }
    await llama.dispose();
  });

  it('refuses what is not GGUF at all: other bytes, an empty file', async () => {
    expect((await problem(new TextEncoder().encode('{"not": "a model"} and some more bytes to read'))).problem).toBe('BAD_MAGIC');
    expect((await problem(new Uint8Array(0))).problem).toBe('TRUNCATED');
    const flipped = tiny.slice();
    flipped[0] = 0x00;
    expect(await problem(flipped)).toEqual({ problem: 'BAD_MAGIC', message: 'not a GGUF file: it does not start with "GGUF"' });
  });

  it('refuses an unknown version', async () => {
    expect(await problem(patched(4, 7))).toEqual({ problem: 'UNSUPPORTED_VERSION', message: 'GGUF version 7 is not supported (only 2 and 3)' });
  });

  it('refuses a file cut short, in the header or in the tensor data, naming the tensor', async () => {
    const headerEnd = (await readGgufHeader(source(tiny))).dataOffset;
    expect(await problem(tiny.subarray(0, headerEnd - 40))).toEqual({ problem: 'TRUNCATED', message: expect.stringContaining('the file ends inside the header') });
    const cut = await problem(tiny.subarray(0, tiny.length - 1000));
    expect(cut.problem).toBe('TRUNCATED');
    expect(cut.message).toMatch(/before the data of tensor "blk\.1\.ffn_down\.weight"/);
  });

  it('refuses counts no file could hold, and tensors of an unknown type or impossible shape', async () => {
    const counts = tiny.slice();
    new DataView(counts.buffer).setBigUint64(8, 1n << 40n, true); // tensor count
    expect((await problem(counts)).problem).toBe('MALFORMED');

    const unknownType = await problem(patched(typeOffsetOf('token_embd.weight', 2), 99));
    expect(unknownType).toEqual({ problem: 'BAD_TENSOR', message: 'tensor "token_embd.weight" has unknown type 99' });
    const removedType = await problem(patched(typeOffsetOf('token_embd.weight', 2), 4)); // Q4_2, removed from ggml
    expect(removedType.problem).toBe('BAD_TENSOR');

    const oddRow = tiny.slice();
    new DataView(oddRow.buffer).setBigUint64(typeOffsetOf('token_embd.weight', 2) - 16, 33n, true); // 33 is no whole number of Q4_0 blocks
    expect((await problem(oddRow)).message).toContain('cannot have shape 33 × 512');
  });

  it('refuses a sound GGUF that is no chat model', async () => {
    const path = join(dir, 'no-tokenizer.gguf');
    await writeGguf(path, {
      metadata: { 'general.architecture': meta.string('llama') },
      tensors: [{ name: 'output_norm.weight', dims: [64], type: GGML_TYPE.F32, fill: () => {} }],
    });
    await expect(inspectGgufModel(path)).rejects.toMatchObject({ problem: 'NOT_A_MODEL', message: expect.stringContaining('no tokenizer') });
    await writeFile(path, new Uint8Array(0));
    await expect(inspectGgufModel(path)).rejects.toMatchObject({ problem: 'TRUNCATED' });
  });

  it('answers any truncation or corruption with a GgufError, never another exception', async () => {
    const headerEnd = (await readGgufHeader(source(tiny))).dataOffset;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: tiny.length }),
        fc.array(fc.record({ at: fc.integer({ min: 0, max: headerEnd - 1 }), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
        async (length, flips) => {
          const bytes = tiny.slice(0, length);
          for (const { at, value } of flips) if (at < bytes.length) bytes[at] = value;
          try {
            await readGgufHeader(source(bytes));
          } catch (error) {
            expect(error).toBeInstanceOf(GgufError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
