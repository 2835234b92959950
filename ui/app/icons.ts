import { html, svg, type TemplateResult } from 'lit';

/**
 * The shell's icons as inline SVG (24-unit grid, 1.75 stroke, currentColor), so they follow the
 * theme and need no requests. Decorative: the control beside them carries the label.
 */
const PATHS = {
  chats: svg`<path d="M20.5 11.5a8 8 0 0 1-11.9 7L3.5 20l1.4-4.6A8 8 0 1 1 20.5 11.5z"/><path d="M8.5 10h7M8.5 13.5h4.5"/>`,
  contacts: svg`<circle cx="9" cy="8.5" r="3.5"/><path d="M2.5 20a6.5 6.5 0 0 1 13 0"/><path d="M15.5 5.2a3.5 3.5 0 0 1 0 6.6"/><path d="M18 14.2a6.5 6.5 0 0 1 3.5 5.8"/>`,
  devices: svg`<rect x="2.5" y="4.5" width="13" height="9.5" rx="1.5"/><path d="M1.5 18h11"/><rect x="16" y="8.5" width="6" height="11" rx="1.5"/><path d="M18.5 17h1"/>`,
  settings: svg`<path d="M4 6.5h9M19 6.5h1M4 12h3M13 12h7M4 17.5h11M20 17.5h0"/><circle cx="16" cy="6.5" r="2.5"/><circle cx="10" cy="12" r="2.5"/><circle cx="17.5" cy="17.5" r="2.5"/>`,
  data: svg`<ellipse cx="12" cy="5.5" rx="8" ry="3"/><path d="M4 5.5v13c0 1.7 3.6 3 8 3s8-1.3 8-3v-13"/><path d="M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3"/>`,
  inspector: svg`<rect x="2.5" y="3" width="7.5" height="5.5" rx="1.5"/><rect x="14" y="3" width="7.5" height="5.5" rx="1.5"/><rect x="14" y="15.5" width="7.5" height="5.5" rx="1.5"/><path d="M10 5.75h4M6.25 8.5v6.5a3.25 3.25 0 0 0 3.25 3.25H14"/>`,
  ai: svg`<path d="M12 3l1.8 4.7L18.5 9.5l-4.7 1.8L12 16l-1.8-4.7L5.5 9.5l4.7-1.8z"/><path d="M18.5 15.5l.8 2 2 .8-2 .8-.8 2-.8-2-2-.8 2-.8z"/>`,
  person: svg`<circle cx="12" cy="8" r="4"/><path d="M4 20.5a8 8 0 0 1 16 0"/>`,
  plus: svg`<path d="M12 5v14M5 12h14"/>`,
  refresh: svg`<path d="M20 11a8 8 0 0 0-14.6-4.4L4 8"/><path d="M4 3.5V8h4.5"/><path d="M4 13a8 8 0 0 0 14.6 4.4L20 16"/><path d="M20 20.5V16h-4.5"/>`,
  trash: svg`<path d="M4 7h16M9.5 7V4.5h5V7M6.5 7l1 13h9l1-13"/>`,
  folder: svg`<path d="M3 6.5A1.5 1.5 0 0 1 4.5 5h4.3l2 2.5h8.7A1.5 1.5 0 0 1 21 9v9.5a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5z"/>`,
  search: svg`<circle cx="11" cy="11" r="6.5"/><path d="M16 16l4.5 4.5"/>`,
  check: svg`<path d="M5 12.5l4.5 4.5L19 7.5"/>`,
  link: svg`<path d="M10 14a4.5 4.5 0 0 0 6.4 0l3.2-3.2a4.5 4.5 0 0 0-6.4-6.4L12 5.6"/><path d="M14 10a4.5 4.5 0 0 0-6.4 0l-3.2 3.2a4.5 4.5 0 0 0 6.4 6.4l1.2-1.2"/>`,
} as const;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName, size = 20): TemplateResult {
  return html`<svg class="icon" width=${size} height=${size} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${PATHS[name]}</svg>`;
}

/** LAMA's mark (the favicon's), for the rail and onboarding. */
export function logo(size = 28): TemplateResult {
  return html`<svg class="logo" width=${size} height=${size} viewBox="0 0 64 64" aria-hidden="true" focusable="false"><rect width="64" height="64" rx="14" fill="var(--lama-accent)"/><path d="M20 46V18h6v23h14v5z" fill="var(--lama-accent-text)"/><circle cx="44" cy="22" r="5" fill="var(--lama-accent-text)"/></svg>`;
}
