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
 * output to the caller ahead of the result. Progress sent after the op settled is dropped.
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
  /** Inference arrives with the AI issue; until then the LLM worker only answers ping and info. */
  inference: false;
}

// Every op below is a pure function of its payload, so all are idempotent: a crash-retry cannot
// do harm. An op with side effects (e.g. a future streamed inference billed per call) says false.
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
  },
} as const satisfies OpTable;

export type WorkerOps = typeof workerOps;
export type WorkerKind = keyof WorkerOps;
