import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore, StoreWrite } from '../store/object-store.ts';
import type { VersionNode } from '../store/store-recipes.ts';
import type { Chat } from './chat.ts';
import type { StoredMessage } from './message-order.ts';

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
    const written = await store.getMany(write.objects);
    if (written.some((o) => o?.$type$ === 'Topic') || !channels) await channelsNow();
    const fresh = written
      .filter((o): o is VersionNode & { $type$: 'VersionNode' } => o?.$type$ === 'VersionNode' && channels!.has((o as VersionNode).id))
      .map((node) => node.data)
      .filter((hash) => !delivered.has(hash));
    if (fresh.length === 0) return;
    const messages = await chat.bodies(fresh);
    for (const m of messages) delivered.add(m.hash);
    if (messages.length > 0) listener(messages);
  };

  const unsubscribe = store.onWrite((write) => {
    queue = queue.then(() => take(write)).catch(onError);
  });
  return unsubscribe;
}
