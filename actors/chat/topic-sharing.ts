import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { Chat } from './chat.ts';

/**
 * Keeps every topic this user takes part in shared with its participants (specs/chat.md §5): when
 * a topic arrives by CHUM or changes, this store grants its participants the topic and all its
 * channels, so it relays each participant's messages to the others. Runs at most once per
 * `debounceMs` after writes, with one reverse-map query; unchanged topics cost nothing.
 */
export function shareTopicsAsTheyArrive(store: ObjectStore, chat: Chat, options: { debounceMs?: number; onError?: (error: unknown) => void } = {}): () => void {
  const seen = new Map<SHA256Hash, string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  let topicVersions = '';
  const scan = async () => {
    // One reverse-map query says whether any topic version came or went; most writes (messages,
    // a sync's thousands of objects) add none, and then nothing else is read.
    const versions = (await store.referencing(chat.me, 'Topic')).join();
    if (versions === topicVersions) return;
    topicVersions = versions;
    for (const { idHash, topic } of await chat.topics()) {
      const key = JSON.stringify(topic.participants);
      if (seen.get(idHash) === key) continue;
      await chat.shareTopic(idHash);
      seen.set(idHash, key);
    }
  };
  const run = () => {
    timer = undefined;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = scan()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          schedule();
        }
      });
  };
  const schedule = () => {
    timer ??= setTimeout(run, options.debounceMs ?? 100);
  };
  const unsubscribe = store.onWrite(schedule);
  schedule();
  return () => {
    stopped = true;
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}
