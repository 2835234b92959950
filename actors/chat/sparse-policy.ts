import type { FetchPolicy } from '../chum/fetch-policy.ts';

/**
 * The browser's CHUM policy (specs/chum.md §7, specs/chat.md §4): structure now — topics, version
 * nodes (which carry each message's channel and time), identities, signatures — and message bodies
 * and BLOBs later, when a topic is on screen (`Chat.messages` fetches them, newest first).
 * References are left for later too: everything the peer lets us see is offered anyway, and what
 * the chat needs that is not here yet it asks for by hash.
 */
export const sparseChatPolicy: FetchPolicy = (candidate) => {
  if (candidate.kind === 'blob' || candidate.reason === 'reference') return 'later';
  return candidate.type === 'ChatMessage' ? 'later' : 'now';
};
