import type { ChatPerson } from '../../machines/chat-view.ts';

/** Presentation helpers shared by the chat views: names, initials, avatar colours, times. */

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words.at(-1)!].map((w) => [...w][0]) : [...(words[0] ?? '?')].slice(0, 1);
  return letters.join('').toUpperCase();
}

/** One of the eight avatar colours (chat-theme.styles.ts), the same for a person everywhere. */
export function avatarColour(id: string): string {
  let sum = 0;
  for (let i = 0; i < Math.min(id.length, 16); i++) sum = (sum * 31 + id.charCodeAt(i)) >>> 0;
  return `var(--lama-avatar-${(sum % 8) + 1})`;
}

export function displayName(person: ChatPerson | undefined, id: string): string {
  if (!person) return `Unknown ${id.slice(0, 6)}`;
  return person.self ? 'You' : person.name;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const longDateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

function startOfDay(at: number): number {
  const day = new Date(at);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

export function dayKey(at: number): number {
  return startOfDay(at);
}

/** Formatting is slow next to a frame's budget: each message's times are formatted once. */
function remembered(format: Intl.DateTimeFormat): (at: number) => string {
  const seen = new Map<number, string>();
  return (at) => {
    let text = seen.get(at);
    if (text === undefined) {
      if (seen.size > 20_000) seen.clear();
      seen.set(at, (text = format.format(at)));
    }
    return text;
  };
}

export const clockTime = remembered(timeFormat);
export const fullTime = remembered(fullFormat);

/** A day separator's words: Today, Yesterday, or the date. */
export function dayLabel(at: number, now = Date.now()): string {
  const days = Math.round((startOfDay(now) - startOfDay(at)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return longDateFormat.format(at);
}

/** The topic list's short time: a clock time today, a weekday this week, else the date. */
export function listTime(at: number, now = Date.now()): string {
  const days = Math.round((startOfDay(now) - startOfDay(at)) / 86_400_000);
  if (days === 0) return timeFormat.format(at);
  if (days === 1) return 'Yesterday';
  if (days < 7) return weekdayFormat.format(at);
  return dateFormat.format(at);
}

/** One line of plain words from markdown, for previews. */
export function plainPreview(text: string): string {
  return text
    .replace(/```[\s\S]*?(```|$)/g, ' [code] ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`~#>]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Who takes part, for a header: "You and Tiny (AI)", "You, Tiny (AI) and Bob", "You, Ann, Bob and 3 others". */
export function peopleLine(participants: readonly ChatPerson[]): string {
  const others = participants.filter((p) => !p.self).map((p) => (p.ai ? `${p.name} (AI)` : p.name));
  if (others.length === 0) return 'Only you';
  const names = ['You', ...others];
  if (names.length <= 4) return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} others`;
}
