/**
 * The one table of worker ops (specs/workers.md §2): per kind, per op, the payload and result types
 * and whether running the op twice is harmless. Callers get types from it (`WorkerPool.run`),
 * worker entries implement it (`OpHandlers`), and the pool reads `idempotent` to decide whether a
 * task lost in a crash may be resent.
 */

/**
 * An op: payload P in, result R out, and — for a streaming op — progress events E on the way (a
 * running op's partial output, e.g. generated text). The types live in phantom members;
 * `idempotent` is real data.
 */
export interface OpSpec<P, R, E = never> {
  readonly idempotent: boolean;
  readonly types?: (payload: P) => R;
  readonly progress?: E;
}

export type OpGroup = Record<string, OpSpec<never, unknown, unknown>>;
export type OpTable = Record<string, OpGroup>;

export type PayloadOf<S> = S extends OpSpec<infer P, unknown, unknown> ? P : never;
export type ResultOf<S> = S extends OpSpec<never, infer R, unknown> ? R : never;
export type ProgressOf<S> = S extends OpSpec<never, unknown, infer E> ? E : never;

/**
 * What a running op gets besides its payload: `signal` aborts when the caller cancels the task (an
 * op that can stop early honours it; one that cannot just finishes), and `progress` sends partial
 * output to the caller ahead of the result. Progress sent after the op settled is dropped. Call them
 * on the context (`task.progress(x)`), not detached.
 */
export interface TaskContext<E> {
  readonly signal: AbortSignal;
  progress(event: E): void;
}

/** The context of an op called directly, outside any worker (tests): never cancelled, progress dropped. */
export const detachedTask: TaskContext<never> = { signal: new AbortController().signal, progress: () => {} };

/** What a worker entry supplies per op. `transfer` moves a result buffer back instead of copying it. */
export type OpHandlers<G extends OpGroup> = {
  [O in keyof G]: (
    payload: PayloadOf<G[O]>,
    transfer: (buffer: ArrayBuffer) => void,
    task: TaskContext<ProgressOf<G[O]>>,
  ) => ResultOf<G[O]> | Promise<ResultOf<G[O]>>;
};

/** Declares an op: its types as arguments, its idempotency as data. */
export const op = <P, R, E = never>(flags: { idempotent: boolean }): OpSpec<P, R, E> => flags;

export interface VerifyItem {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

export interface SealItem {
  nonce: Uint8Array;
  plaintext: Uint8Array;
  aad?: Uint8Array;
}

export interface OpenItem {
  nonce: Uint8Array;
  sealed: Uint8Array;
  aad?: Uint8Array;
}

export interface LlmWorkerInfo {
  pid: number;
  node: string;
  rssBytes: number;
  /** The most memory the process has held at once (weights, context, runtime). */
  peakRssBytes: number;
  /** The worker runs the embedded model (actors/ai/embedded/llama-engine.node.ts). */
  inference: true;
  /** The GGUF file loaded now, if any. */
  loaded: string | null;
}

/** One turn of a conversation, as the LLM worker takes it (tool turns arrive already as text). */
export interface LlmTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmLoadPayload {
  /** An absolute path to a GGUF file the caller has already checked (actors/ai/embedded/gguf). */
  modelPath: string;
  /** Tokens of context to allocate; the model's own limit caps it. */
  contextSize?: number;
}

export interface LlmLoaded {
  modelPath: string;
  contextSize: number;
  /** The context the model was trained with (its upper limit). */
  trainContextSize: number;
  threads: number;
  /** 0 when the model was already loaded. */
  loadMs: number;
}

export interface LlmGeneratePayload extends LlmLoadPayload {
  messages: LlmTurn[];
  maxTokens?: number;
  temperature?: number;
}

export interface LlmGenerated {
  stopReason: 'end' | 'maxTokens' | 'cancelled';
  /** Tokens evaluated for the prompt (a prefix still in the context from the last turn is not), and tokens generated. */
  usage: { inputTokens: number; outputTokens: number };
}

// Most ops below are pure functions of their payload, so idempotent: a crash-retry cannot do harm.
// The LLM worker's load and generate are not: a file that crashed the worker once will crash it
// again (fail at once, do not crash twice), and a resent generation would stream its text twice.
export const workerOps = {
  crypto: {
    /** Ed25519 signature of one message. */
    sign: op<{ secretKey: Uint8Array; message: Uint8Array }, Uint8Array>({ idempotent: true }),
    /** One signature per message, all under one key; the signatures share one transferred buffer. */
    signBatch: op<{ secretKey: Uint8Array; messages: Uint8Array[] }, Uint8Array[]>({ idempotent: true }),
    /** Per item: does the signature verify? Malformed signatures are false, never errors. */
    verifyBatch: op<{ items: VerifyItem[] }, boolean[]>({ idempotent: true }),
    /** ChaCha20-Poly1305 under one key: ciphertext ‖ tag per item. */
    sealBatch: op<{ key: Uint8Array; items: SealItem[] }, Uint8Array[]>({ idempotent: true }),
    /** Per item: the plaintext, or null when the tag does not verify. */
    openBatch: op<{ key: Uint8Array; items: OpenItem[] }, Array<Uint8Array | null>>({ idempotent: true }),
  },
  sync: {
    /** SHA-256 of each item, lowercase hex (the form object addresses take). */
    hashBatch: op<{ items: Uint8Array[] }, string[]>({ idempotent: true }),
    /** Given two strictly ascending hash lists: what each side lacks. */
    diff: op<{ ours: string[]; theirs: string[] }, { theyLack: string[]; weLack: string[] }>({ idempotent: true }),
  },
  llm: {
    ping: op<{ nonce: number }, { nonce: number }>({ idempotent: true }),
    info: op<Record<string, never>, LlmWorkerInfo>({ idempotent: true }),
    /** Loads a model (the one loaded before is released); loading the loaded one again is free. */
    load: op<LlmLoadPayload, LlmLoaded>({ idempotent: false }),
    /** Loads the model if needed, then streams the reply as `{ text }` progress; cancellable. */
    generate: op<LlmGeneratePayload, LlmGenerated, { text: string }>({ idempotent: false }),
    /** Releases the loaded model's memory. */
    unload: op<Record<string, never>, { unloaded: string | null }>({ idempotent: true }),
  },
} as const satisfies OpTable;

export type WorkerOps = typeof workerOps;
export type WorkerKind = keyof WorkerOps;
