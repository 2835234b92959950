import type { ChatPerson, ViewMessage } from '../../machines/chat-view.ts';
import { dayKey } from './chat-format.ts';

/** One row of the virtualised message list. */
export type MessageRow =
  | { readonly kind: 'day'; readonly key: string; readonly at: number }
  | {
      readonly kind: 'message';
      readonly key: string;
      readonly message: ViewMessage;
      readonly author: ChatPerson | undefined;
      /** Starts a group: shows the avatar, name and time. */
      readonly first: boolean;
      /** A failure note whose AI can still be asked to try again (it has not written since). */
      readonly retry: boolean;
    };

/** Messages by one author within this long of each other form a group. */
export const GROUP_GAP_MS = 5 * 60_000;

/**
 * The list's rows: a separator where the day changes; messages grouped by author (same day, a few
 * minutes apart, not notes). `answering` names the AIs writing now: their failure notes lose Retry.
 */
export function messageRows(messages: readonly ViewMessage[], people: ReadonlyMap<string, ChatPerson>, answering: ReadonlySet<string> = new Set()): MessageRow[] {
  const newestBy = new Map<string, string>();
  for (const m of messages) newestBy.set(m.author, m.hash);
  const rows: MessageRow[] = [];
  let previous: ViewMessage | undefined;
  for (const message of messages) {
    const day = dayKey(message.createdAt);
    const newDay = !previous || dayKey(previous.createdAt) !== day;
    if (newDay) rows.push({ kind: 'day', key: `day-${day}`, at: message.createdAt });
    const first =
      newDay ||
      previous!.author !== message.author ||
      message.kind === 'system' ||
      previous!.kind === 'system' ||
      message.createdAt - previous!.createdAt > GROUP_GAP_MS;
    const author = people.get(message.author);
    const retry = message.kind === 'system' && author?.ai === true && newestBy.get(message.author) === message.hash && !answering.has(message.author);
    rows.push({ kind: 'message', key: message.hash, message, author, first, retry });
    previous = message;
  }
  return rows;
}
