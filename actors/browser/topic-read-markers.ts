/**
 * Read markers, kept on this device only (they are nobody else's business and need no sync): per
 * topic, how many messages by others the user has seen. One small JSON record per browser user.
 */
export interface ReadMarkers {
  load(): Record<string, number>;
  save(read: Readonly<Record<string, number>>): void;
}

/** Markers in a Web Storage area (`localStorage` in the app), under the user's Person id. */
export function storageReadMarkers(storage: Pick<Storage, 'getItem' | 'setItem'>, person: string): ReadMarkers {
  const key = `lama:read:${person}`;
  let saved: string | null = null;
  return {
    load: () => {
      try {
        saved = storage.getItem(key);
        const parsed: unknown = saved ? JSON.parse(saved) : {};
        if (typeof parsed !== 'object' || parsed === null) return {};
        return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, number] => Number.isSafeInteger(e[1]) && e[1] >= 0));
      } catch {
        return {}; // A damaged record costs unread counts, nothing else.
      }
    },
    save: (read) => {
      const json = JSON.stringify(read);
      if (json === saved) return;
      saved = json;
      try {
        storage.setItem(key, json);
      } catch {
        // Storage full or denied: the counts hold for this session.
      }
    },
  };
}

/** Markers that live as long as the page (tests, and a storage that cannot be used). */
export function memoryReadMarkers(initial: Record<string, number> = {}): ReadMarkers {
  let read = { ...initial };
  return { load: () => ({ ...read }), save: (next) => void (read = { ...next }) };
}
