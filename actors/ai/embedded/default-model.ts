/**
 * The model a new user chats with, downloaded on first use (specs/llm-embedded.md §2).
 *
 * Qwen2.5-0.5B-Instruct in llama.cpp's Q4_K_M quantisation (bartowski's conversion, Apache-2.0):
 * the smallest instruct model that holds a coherent conversation, follows a system prompt and
 * answers in many languages; about 0.5 GB of memory and tens of tokens a second on two CPU cores.
 * SmolLM2-135M (105 MB) is 4× smaller and faster but rarely makes sense past a sentence.
 *
 * Pinned by size and SHA-256, as published by the hub for this file (its LFS object id) and
 * recorded by several independent projects that ship the same file. The URL follows the repository's
 * main branch: should the file there ever change, the download fails with SIZE_MISMATCH or
 * CHECKSUM_MISMATCH — never a silently different model.
 */
export interface PinnedModel {
  /** The file name, which is also the model's id (ModelInfo.id). */
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly size: number;
  readonly sha256: string;
  readonly licence: string;
}

export const DEFAULT_EMBEDDED_MODEL: PinnedModel = {
  id: 'Qwen2.5-0.5B-Instruct-Q4_K_M.gguf',
  name: 'Qwen2.5 0.5B Instruct',
  url: 'https://huggingface.co/bartowski/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/Qwen2.5-0.5B-Instruct-Q4_K_M.gguf',
  size: 397_808_192,
  sha256: '6eb923e7d26e9cea28811e1a8e852009b21242fb157b26149d3b188f3a8c8653',
  licence: 'Apache-2.0',
};

/** "398 MB", for messages. */
export const megabytes = (bytes: number): string => `${Math.round(bytes / 1e6)} MB`;
