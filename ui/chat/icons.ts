import { svg } from 'lit';

/** Small inline icons (24×24 grid, stroked with currentColor), decorative: callers label the control. */
const icon = (body: ReturnType<typeof svg>) =>
  svg`<svg class="icon" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;

export const icons = {
  send: icon(svg`<path d="M4 12 20 4l-4 16-4-7-8-1Z"/><path d="m12 13 8-9"/>`),
  plus: icon(svg`<path d="M12 5v14M5 12h14"/>`),
  back: icon(svg`<path d="m15 18-6-6 6-6"/>`),
  stop: icon(svg`<rect x="6" y="6" width="12" height="12" rx="2"/>`),
  retry: icon(svg`<path d="M20 11a8 8 0 1 0-2.3 5.7"/><path d="M20 4v7h-7"/>`),
  warning: icon(svg`<path d="M12 3 2 20h20L12 3Z"/><path d="M12 10v4M12 17h.01"/>`),
  tool: icon(svg`<path d="M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18l3 3 6.3-6.3a4 4 0 0 0 5.4-5.4l-2.5 2.5-2.8-.7-.7-2.8 2.5-2.5Z"/>`),
  search: icon(svg`<circle cx="11" cy="11" r="7"/><path d="m20 20-3.5-3.5"/>`),
  down: icon(svg`<path d="m6 9 6 6 6-6"/>`),
  chat: icon(svg`<path d="M21 12a8 8 0 0 1-11.5 7.2L4 21l1.8-5.5A8 8 0 1 1 21 12Z"/>`),
  sparkle: icon(svg`<path d="M12 3v4M12 17v4M3 12h4M17 12h4M6 6l2.5 2.5M15.5 15.5 18 18M6 18l2.5-2.5M15.5 8.5 18 6"/>`),
  close: icon(svg`<path d="M6 6l12 12M18 6 6 18"/>`),
  offline: icon(svg`<path d="M2 8.8a15 15 0 0 1 4.2-2.6M10.7 5.1A15 15 0 0 1 22 8.8M5 12.9a10 10 0 0 1 5.2-2.7M16.8 11.3A10 10 0 0 1 19 12.9M8.5 16.4a5 5 0 0 1 7 0M12 20h.01M3 3l18 18"/>`),
};
