import type { ResponseOf } from '../../hosts/ipc/channels.ts';

export type Provider = ResponseOf<'orchestrate:aiProviders'>['providers'][number];
export type Health = NonNullable<Provider['health']>;
export type ConfigurableKind = 'ollama' | 'lmstudio' | 'claude';

/** How the settings and onboarding name each kind of provider, and what the host uses when no endpoint is given. */
export const KINDS: Record<Provider['kind'], { label: string; blurb: string; defaultEndpoint?: string; key: 'required' | 'optional' | 'none' }> = {
  embedded: { label: 'Embedded model', blurb: 'Runs on this computer, on the CPU. Private, no setup.', key: 'none' },
  ollama: { label: 'Ollama', blurb: 'Models served by Ollama.', defaultEndpoint: 'http://127.0.0.1:11434', key: 'optional' },
  lmstudio: { label: 'LM Studio', blurb: 'Models served by LM Studio.', defaultEndpoint: 'http://127.0.0.1:1234/v1', key: 'optional' },
  claude: { label: 'Claude', blurb: 'Anthropic\'s models, over the internet, with your API key.', defaultEndpoint: 'https://api.anthropic.com', key: 'required' },
};

/** A health answer in a few words, and the badge tone for it. */
export function describeHealth(health: Health | null): { tone: 'ok' | 'warn' | 'error' | 'busy'; text: string } {
  if (!health) return { tone: 'busy', text: 'Checking…' };
  switch (health.status) {
    case 'ok':
      return { tone: 'ok', text: `Healthy · ${Math.round(health.latencyMs)} ms` };
    case 'unreachable':
      return { tone: 'warn', text: 'Not reachable' };
    case 'unauthorized':
      return { tone: 'error', text: 'Key refused' };
    default:
      return { tone: 'error', text: 'Error' };
  }
}

/** A free provider id for a new one of `kind` (`ollama`, `ollama-2`, …), as the host names detected ones. */
export function freeProviderId(kind: string, taken: readonly string[]): string {
  let id = kind;
  for (let n = 2; taken.includes(id); n++) id = `${kind}-${n}`;
  return id;
}

export function relativeTime(at: number | null, now = Date.now()): string {
  if (at === null) return 'never';
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 10) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
}
