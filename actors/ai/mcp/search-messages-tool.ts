import { z } from 'zod';
import type { LamaTool } from './lama-tool-server.ts';

/**
 * `search_messages`: the hook through which the chat's search reaches the AI (specs/mcp.md §3).
 * Whoever provides a MessageSearch registers the tool on the LAMA tool server:
 *
 *     const unregister = lamaTools.register(searchMessagesTool(chatSearch));
 *
 * The tool only reads, so the default policy runs it without asking; what it may search is the
 * provider's business (the chat search decides whose messages an AI contact may see).
 */

export interface MessageHit {
  /** The conversation's display name. */
  readonly topic: string;
  /** The sender's display name. */
  readonly author: string;
  /** When it was sent, ms since the epoch. */
  readonly sentAt: number;
  readonly text: string;
}

export type MessageSearch = (query: string, options: { readonly limit: number; readonly signal: AbortSignal }) => Promise<readonly MessageHit[]>;

export const DEFAULT_HITS = 10;
export const MAX_HITS = 50;
/** A long message is cut to this many characters in the listing; the model can search more narrowly. */
const MAX_HIT_CHARS = 500;

const input = {
  query: z.string().min(1).max(500).describe('Words to look for in the messages'),
  limit: z.number().int().min(1).max(MAX_HITS).optional().describe(`How many messages to return at most (default ${DEFAULT_HITS})`),
};

export function searchMessagesTool(search: MessageSearch): LamaTool<typeof input> {
  return {
    name: 'search_messages',
    title: 'Search Messages',
    description: `Search the user's chat messages for words. Returns the best matches (up to ${MAX_HITS}), each with its conversation, sender and time.`,
    input,
    readOnly: true,
    async run({ query, limit }, signal) {
      const max = limit ?? DEFAULT_HITS;
      const hits = (await search(query, { limit: max, signal })).slice(0, max);
      if (hits.length === 0) return `No messages match "${query}".`;
      const lines = hits.map((hit) => {
        const text = hit.text.length > MAX_HIT_CHARS ? `${hit.text.slice(0, MAX_HIT_CHARS)}…` : hit.text;
        return `[${new Date(hit.sentAt).toISOString()}] ${hit.author} in "${hit.topic}": ${text}`;
      });
      return `${hits.length} message${hits.length === 1 ? '' : 's'} match "${query}":\n${lines.join('\n')}`;
    },
  };
}
