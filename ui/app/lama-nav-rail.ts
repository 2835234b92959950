import { html, LitElement } from 'lit';
import { customElement, property, queryAll } from 'lit/decorators.js';
import { theme } from '../theme.styles.ts';
import { LamaNavigateEvent, VIEWS, type ViewName } from './app-events.ts';
import { icon, logo, type IconName } from './icons.ts';
import { styles } from './lama-nav-rail.styles.ts';

export const VIEW_LABELS: Record<ViewName, string> = {
  chats: 'Chats',
  contacts: 'Contacts',
  devices: 'Devices',
  settings: 'Settings',
  data: 'Data',
  inspector: 'Inspector',
};

const ICONS: Record<ViewName, IconName> = { chats: 'chats', contacts: 'contacts', devices: 'devices', settings: 'settings', data: 'data', inspector: 'inspector' };

/**
 * The left navigation rail: one entry per view with its icon and label, the current one marked
 * `aria-current="page"`. One tab stop (roving tabindex): arrow keys, Home and End move between
 * entries, Enter or Space opens one. Sends `lama-navigate`; the status indicator goes in the
 * `status` slot at the bottom.
 */
@customElement('lama-nav-rail')
export class LamaNavRail extends LitElement {
  static override styles = [theme, styles];

  @property() current: ViewName = 'chats';
  @queryAll('a[data-view]') private entries!: NodeListOf<HTMLAnchorElement>;

  override render() {
    return html`
      <div class="brand">${logo(28)}<span class="label">LAMA</span></div>
      <nav aria-label="Main">
        <ul role="list" @keydown=${this.#keydown}>
          ${VIEWS.map(
            (view, index) => html`<li>
              <a
                href="#${view}"
                data-view=${view}
                aria-current=${view === this.current ? 'page' : 'false'}
                tabindex=${view === this.current ? 0 : -1}
                title="${VIEW_LABELS[view]} (Alt+${index + 1})"
                @click=${(event: Event) => this.#open(event, view)}
                >${icon(ICONS[view], 20)}<span class="label">${VIEW_LABELS[view]}</span></a
              >
            </li>`,
          )}
        </ul>
      </nav>
      <div class="status"><slot name="status"></slot></div>
    `;
  }

  #open(event: Event, view: ViewName): void {
    event.preventDefault();
    this.dispatchEvent(new LamaNavigateEvent({ view }));
  }

  #keydown(event: KeyboardEvent): void {
    const entries = [...this.entries];
    const at = entries.indexOf(event.composedPath()[0] as HTMLAnchorElement);
    if (at === -1) return;
    const next = { ArrowDown: at + 1, ArrowRight: at + 1, ArrowUp: at - 1, ArrowLeft: at - 1, Home: 0, End: entries.length - 1 }[event.key];
    if (next !== undefined) {
      event.preventDefault();
      const target = entries[(next + entries.length) % entries.length]!;
      for (const entry of entries) entry.tabIndex = entry === target ? 0 : -1;
      target.focus();
    } else if (event.key === ' ') {
      event.preventDefault();
      entries[at]!.click();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-nav-rail': LamaNavRail;
  }
}
