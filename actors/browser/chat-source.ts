import type { Llm } from '../ai/ai-recipes.ts';
import type { Chat } from '../chat/chat.ts';
import type { StoredMessage } from '../chat/message-order.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { PayloadOf, RequestOf, ResponseOf } from '../../hosts/ipc/channels.ts';

/**
 * What the chat views' effects need from the browser instance (actors/browser/browser-instance.dom.ts
 * provides all of it): its chat, its store's write feed and reads, the Node archive's Person, the
 * CHUM session's state, the AI contacts and a topic's feed. Tests and benchmarks pass their own.
 */
export interface ChatSource {
  readonly chat: Chat | undefined;
  readonly store: ObjectStore;
  /** The Node archive's Person (the user's own archive, which runs the AIs), once linked. */
  readonly nodePerson: SHA256Hash | undefined;
  /** The CHUM session's state, `offline` without one. */
  readonly syncState: string;
  aiContacts(): Promise<{ personId: SHA256Hash; llm: Llm }[]>;
  follow(topic: SHA256Hash, listener: (messages: StoredMessage[]) => void): () => void;
}

/** The orchestration the chat view uses (the AI's answers) — RendererServices provides it. */
export interface ChatControl {
  orchestrate<C extends 'orchestrate:aiAnswer' | 'orchestrate:aiApprove'>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  onPush(channel: 'status:aiStream', listener: (payload: PayloadOf<'status:aiStream'>) => void): () => void;
}

/** The views' errors carry a code the UI can word, like every other LAMA error. */
export class ChatViewError extends Error {
  override readonly name = 'ChatViewError';
  constructor(
    readonly code: 'LOCKED' | 'NOT_LINKED',
    message: string,
  ) {
    super(message);
  }
}

/** The user's chat, or LOCKED while the browser user is locked. */
export function chatOf(source: ChatSource): Chat {
  if (!source.chat) throw new ChatViewError('LOCKED', 'the browser user is locked');
  return source.chat;
}
