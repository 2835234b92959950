import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore, StoreWrite } from '../store/object-store.ts';
import type { VersionNode } from '../store/store-recipes.ts';
import type { Chat } from './chat.ts';
import type { ChatMessage } from './chat-recipes.ts';
import { compareMessages, type StoredMessage } from './message-order.ts';

/**
 * New messages of one topic as they arrive (specs/chat.md §4): after each write, the version nodes
 * it added to the topic's channels name the new messages; their bodies are read — fetched first
 * where a sparse store lacks them — and handed to `listener` in topic order. Only what a write
 * added is looked at, so following a long topic costs nothing per message already shown.
 */
export function followTopic(store: ObjectStore, chat: Chat, topicIdHash: SHA256Hash, listener: (messages: StoredMessage[]) => void, onError: (error: unknown) => void = () => {}): () => void {
  let channels: Set<SHA256Hash> | undefined;
  let queue = Promise.resolve();
  const delivered = new Set<SHA256Hash>();

  const channelsNow = async () => {
    const topic = await chat.topic(topicIdHash);
    // Participants can change (a topic gets a new version); re-read on every write that may hold one.
    channels = new Set(topic.participants.map((p) => chat.channelId(topicIdHash, p)));
    return channels;
  };

  const take = async (write: StoreWrite) => {
    if (!channels || write.decoded.some((o) => o.$type$ === 'Topic')) await channelsNow();
    const fresh = write.decoded
      .filter((o): o is VersionNode => o.$type$ === 'VersionNode' && channels!.has((o as VersionNode).id))
      .map((node) => node.data)
      .filter((hash) => !delivered.has(hash));
    if (fresh.length === 0) return;
    // A live session brings the body with its version: take it from the write, read nothing back.
    const inWrite = new Map(write.objects.map((hash, i) => [hash, write.decoded[i]!]));
    const here: StoredMessage[] = [];
    const elsewhere: SHA256Hash[] = [];
    for (const hash of fresh) {
      const object = inWrite.get(hash);
      if (object?.$type$ === 'ChatMessage') here.push({ hash, message: object as ChatMessage });
      else elsewhere.push(hash);
    }
    const messages = [...here, ...(elsewhere.length > 0 ? await chat.bodies(elsewhere) : [])].sort(compareMessages);
    for (const m of messages) delivered.add(m.hash);
    if (messages.length > 0) listener(messages);
  };

  const unsubscribe = store.onWrite((write) => {
    queue = queue.then(() => take(write)).catch(onError);
  });
  return unsubscribe;
}
