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

/**
 * The same, except that once the session is live (`isLive`), messages are fetched as they come:
 * a new message is what the person is about to look at (the open topic, the topic list's last
 * line), and fetching it with its version saves a round trip. Only the backlog waits.
 */
export function liveSparseChatPolicy(isLive: () => boolean): FetchPolicy {
  return (candidate) => (candidate.type === 'ChatMessage' && candidate.reason === 'offer' && isLive() ? 'now' : sparseChatPolicy(candidate));
}
