import type { SHA256Hash } from '../store/hash.ts';
import type { Recipe } from '../store/recipes.ts';

/**
 * Chat types (specs/chat.md §1). A topic is a versioned Topic; each participant writes into their
 * own channel, which is not an object of its own: it is the versioned thing whose identity is
 * (topic, author) — every version of it is one ChatMessage. So a channel's history is its message
 * list, concurrent writes of one person's devices merge like any version fork, and CHUM carries a
 * channel under one IdAccess grant.
 */

const idref = { kind: 'idref' } as const;

export const TopicRecipe: Recipe = {
  name: 'Topic',
  fields: {
    /** Random for a group; derived from the two persons for a one-to-one topic (specs/chat.md §2). */
    topicId: { type: { kind: 'string' }, identity: true },
    name: { type: { kind: 'string' } },
    participants: { type: { kind: 'list', item: idref } },
    createdBy: { type: idref },
    createdAt: { type: { kind: 'integer' } },
  },
};

export const ChatMessageRecipe: Recipe = {
  name: 'ChatMessage',
  fields: {
    topic: { type: idref, identity: true },
    author: { type: idref, identity: true },
    text: { type: { kind: 'string' } },
    /** Milliseconds since the epoch on the author's device; the first key of the order (§3). */
    createdAt: { type: { kind: 'integer' } },
    attachments: { type: { kind: 'list', item: { kind: 'record', fields: { name: { type: { kind: 'string' } }, mimeType: { type: { kind: 'string' } }, size: { type: { kind: 'integer' } }, blob: { type: { kind: 'blob' } } } } }, optional: true },
    /** 'system' messages are written by the app (an AI provider's error, say); absent means 'text'. */
    kind: { type: { kind: 'string' }, optional: true },
    /** An AI answer cut short by a failing provider is kept and marked incomplete. */
    incomplete: { type: { kind: 'boolean' }, optional: true },
    replyTo: { type: { kind: 'ref' }, optional: true },
  },
};

export const CHAT_RECIPES: readonly Recipe[] = [TopicRecipe, ChatMessageRecipe];

export interface Topic {
  readonly $type$: 'Topic';
  readonly topicId: string;
  readonly name: string;
  readonly participants: readonly SHA256Hash[];
  readonly createdBy: SHA256Hash;
  readonly createdAt: number;
}

export interface Attachment {
  readonly name: string;
  readonly mimeType: string;
  readonly size: number;
  readonly blob: SHA256Hash;
}

export interface ChatMessage {
  readonly $type$: 'ChatMessage';
  readonly topic: SHA256Hash;
  readonly author: SHA256Hash;
  readonly text: string;
  readonly createdAt: number;
  readonly attachments?: readonly Attachment[];
  readonly kind?: 'text' | 'system';
  readonly incomplete?: boolean;
  readonly replyTo?: SHA256Hash;
}
