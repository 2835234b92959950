/** Why a chat operation was refused (specs/chat.md §6). */
export type ChatErrorCode =
  | 'NO_TOPIC' // the topic is not in this store
  | 'NOT_PARTICIPANT' // this user is not among the topic's participants
  | 'EMPTY_MESSAGE' // no text and no attachment
  | 'TOO_LONG' // text over MAX_TEXT_CHARS
  | 'BAD_TOPIC'; // a topic without a name or without participants

export class ChatError extends Error {
  override readonly name = 'ChatError';
  constructor(
    readonly code: ChatErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isChatError(error: unknown, code?: ChatErrorCode): error is ChatError {
  return error instanceof ChatError && (code === undefined || error.code === code);
}
