import type { SHA256Hash } from '../store/hash.ts';
import type { ChatMessage } from './chat-recipes.ts';

/** A message with the hash that names it. */
export interface StoredMessage {
  readonly hash: SHA256Hash;
  readonly message: ChatMessage;
}

/**
 * The order of a topic's messages, the same on every device (specs/chat.md §3): by the author's
 * `createdAt`, then by author id, then by message hash. It uses nothing but the messages, so two
 * devices that hold the same messages show them in the same order, whatever order they arrived in.
 */
export function compareMessages(a: StoredMessage, b: StoredMessage): number {
  return a.message.createdAt - b.message.createdAt || compareStrings(a.message.author, b.message.author) || compareStrings(a.hash, b.hash);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
