/**
 * Which AI contacts answer a human message in a topic (specs/ai.md §3): with one AI in the topic,
 * it answers every human message; with several, each answers the messages that address it by
 * name — `@Name` anywhere in the text, case-insensitive, matching the whole name — and nobody
 * answers a message that addresses none (people in a group talk to each other too).
 */
export function addressedAis(text: string, ais: readonly { readonly personId: string; readonly name: string }[]): string[] {
  if (ais.length <= 1) return ais.map((a) => a.personId);
  const lower = text.toLowerCase();
  return ais
    .filter((ai) => {
      const mention = `@${ai.name.toLowerCase()}`;
      for (let at = lower.indexOf(mention); at >= 0; at = lower.indexOf(mention, at + 1)) {
        const after = lower[at + mention.length];
        if (after === undefined || !/[\p{L}\p{N}_-]/u.test(after)) return true;
      }
      return false;
    })
    .map((a) => a.personId);
}
