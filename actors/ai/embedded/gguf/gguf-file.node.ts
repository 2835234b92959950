import { open } from 'node:fs/promises';
import { GgufError, metaArray, metaNumber, metaString, readGgufHeader, type GgufHeader } from './gguf-reader.ts';

/**
 * A GGUF file on disk, checked (gguf-reader.ts) and summed up as what the app shows and needs: the
 * model's name, architecture and context length. A file that is sound GGUF but no chat model — no
 * architecture, no tensors, no tokenizer vocabulary — is refused as NOT_A_MODEL.
 */

export interface GgufModelFacts {
  readonly architecture: string;
  /** `general.name`, when the file has one. */
  readonly name: string | undefined;
  /** The context the model was trained with (`<architecture>.context_length`). */
  readonly contextLength: number | undefined;
  readonly tensorCount: number;
  readonly fileSize: number;
}

/** Reads and checks `path`'s header. fs errors (ENOENT, EACCES) pass through as they are. */
export async function readGgufFile(path: string): Promise<{ header: GgufHeader; fileSize: number }> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const header = await readGgufHeader({
      size,
      read: async (offset, length) => {
        const bytes = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        const { bytesRead } = await file.read(bytes, 0, bytes.length, offset);
        return bytes.subarray(0, bytesRead);
      },
    });
    return { header, fileSize: size };
  } finally {
    await file.close();
  }
}

export async function inspectGgufModel(path: string): Promise<GgufModelFacts> {
  const { header, fileSize } = await readGgufFile(path);
  return modelFacts(header, fileSize);
}

export function modelFacts(header: GgufHeader, fileSize: number): GgufModelFacts {
  const architecture = metaString(header, 'general.architecture');
  if (!architecture) throw new GgufError('NOT_A_MODEL', 'the file names no model architecture (general.architecture)');
  if (header.tensors.length === 0) throw new GgufError('NOT_A_MODEL', 'the file holds no tensors');
  if (!metaString(header, 'tokenizer.ggml.model') || !metaArray(header, 'tokenizer.ggml.tokens')?.length) {
    throw new GgufError('NOT_A_MODEL', 'the file has no tokenizer vocabulary, so no text can go in or out');
  }
  return {
    architecture,
    name: metaString(header, 'general.name'),
    contextLength: metaNumber(header, `${architecture}.context_length`),
    tensorCount: header.tensors.length,
    fileSize,
  };
}
