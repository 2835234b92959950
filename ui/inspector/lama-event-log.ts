import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { controls, theme } from '../theme.styles.ts';
import { LamaActorSelectEvent, LamaLogClearEvent } from './inspector-events.ts';
import { inspectorTheme } from './inspector-theme.styles.ts';
import { displayName, type InspectedActor, type LogEntry } from './inspector-model.ts';
import { styles } from './lama-event-log.styles.ts';
import { eventLabel } from './statechart-layout.ts';

const ROW_HEIGHT = 26;
const OVERSCAN = 8;

/** `all`, the selected actor, or one actor's key. */
export type ActorFilter = 'all' | 'selected' | string;

/**
 * The events every actor received, newest first, with the state each moved from and to: filter
 * by actor and by event text, hide the events that changed nothing, pause (the list holds still
 * and counts what arrives) and clear. Only the rows in view are rendered; the model keeps at most 2,000.
 * Clicking a row selects its actor (`lama-actor-select`); Clear asks for `lama-log-clear`.
 */
@customElement('lama-event-log')
export class LamaEventLog extends LitElement {
  static override styles = [theme, controls, inspectorTheme, styles];

  @property({ attribute: false }) entries: readonly LogEntry[] = [];
  @property({ attribute: false }) actors: readonly InspectedActor[] = [];
  @property() selected?: string;
  /** Entries logged so far, cleared ones included: counts what arrives while paused. */
  @property({ type: Number }) logged = 0;

  @state() actorFilter: ActorFilter = 'all';
  @state() text = '';
  @state() changesOnly = false;
  @state() paused = false;
  /** The rows' scroll position and the body's height: only the rows in view are rendered. */
  @state() private scrolled = 0;
  @state() private viewHeight = 400;
  @query('.body') private body?: HTMLElement;
  #resize?: ResizeObserver;
  #observed?: HTMLElement;
  #frozen: readonly LogEntry[] = [];
  #frozenAt = 0;
  #rows: readonly LogEntry[] = [];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('paused') && this.paused) {
      this.#frozen = this.entries;
      this.#frozenAt = this.logged;
    }
    const shown = this.paused ? this.#frozen : this.entries;
    const actor = this.actorFilter === 'selected' ? this.selected : this.actorFilter === 'all' ? undefined : this.actorFilter;
    const text = this.text.trim().toLowerCase();
    const rows: LogEntry[] = [];
    for (let i = shown.length - 1; i >= 0; i--) {
      const entry = shown[i]!;
      if (actor !== undefined && entry.actor !== actor) continue;
      if (this.changesOnly && !entry.changed) continue;
      if (text && !entry.event.toLowerCase().includes(text) && !logLabel(entry.event).toLowerCase().includes(text)) continue;
      rows.push(entry);
    }
    this.#rows = rows;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
    this.#observed = undefined;
  }

  protected override updated(): void {
    // The body comes and goes with the empty state: follow whichever is there. The observer sets
    // state only, never a size it observes, so it cannot loop.
    if (this.body && this.body !== this.#observed) {
      this.#resize ??= new ResizeObserver(() => {
        if (this.body) this.viewHeight = this.body.clientHeight;
      });
      if (this.#observed) this.#resize.unobserve(this.#observed);
      this.#resize.observe(this.body);
      this.#observed = this.body;
    }
  }

  override render() {
    const total = this.paused ? this.#frozen.length : this.entries.length;
    const arrived = this.paused ? this.logged - this.#frozenAt : 0;
    return html`
      <div class="filters" role="toolbar" aria-label="Event log filters">
        <h2 id="log-title">Events</h2>
        <select aria-label="Show events of" .value=${this.actorFilter} @change=${(e: Event) => (this.actorFilter = (e.target as HTMLSelectElement).value)}>
          <option value="all">All actors</option>
          <option value="selected" ?disabled=${!this.selected}>Selected actor</option>
          ${(['node', 'browser'] as const).map((source) => {
            const actors = this.actors.filter((a) => a.source === source);
            return actors.length
              ? html`<optgroup label=${source === 'node' ? 'Node host' : 'This window'}>
                  ${actors.map((a) => html`<option value=${a.key} ?selected=${this.actorFilter === a.key}>${displayName(a)}</option>`)}
                </optgroup>`
              : nothing;
          })}
        </select>
        <input type="search" placeholder="Filter by event" aria-label="Filter by event type" .value=${this.text} @input=${(e: Event) => (this.text = (e.target as HTMLInputElement).value)} />
        <label class="check"><input type="checkbox" .checked=${this.changesOnly} @change=${(e: Event) => (this.changesOnly = (e.target as HTMLInputElement).checked)} /> State changes only</label>
        <span class="spacer"></span>
        <span class="count" aria-live="polite">${this.paused ? html`<span class="paused">Paused</span>${arrived > 0 ? ` · ${arrived.toLocaleString()} new` : ''} · ` : nothing}${this.#rows.length.toLocaleString()}${this.#rows.length !== total ? ` of ${total.toLocaleString()}` : ''} events</span>
        <button class="small" aria-pressed=${this.paused ? 'true' : 'false'} @click=${() => (this.paused = !this.paused)}>${this.paused ? 'Resume' : 'Pause'}</button>
        <button class="small" @click=${() => this.dispatchEvent(new LamaLogClearEvent())} ?disabled=${total === 0}>Clear</button>
      </div>
      <div class="table" role="table" aria-labelledby="log-title" aria-rowcount=${this.#rows.length + 1}>
        <div class="row head" role="row" aria-rowindex="1">
          <span role="columnheader">Time</span><span role="columnheader">Actor</span><span role="columnheader">Event</span><span role="columnheader">Transition</span>
        </div>
        ${this.#rows.length ? this.#body() : html`<p class="empty">${total ? 'No event matches these filters.' : this.paused ? 'Nothing was logged before the pause.' : 'Events appear here as the actors receive them.'}</p>`}
      </div>
    `;
  }

  /** A window over the rows: a spacer as tall as all of them, and the ones in view (and a few more) placed in it. */
  #body() {
    const first = Math.max(0, Math.floor(this.scrolled / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.#rows.length, Math.ceil((this.scrolled + this.viewHeight) / ROW_HEIGHT) + OVERSCAN);
    const shown = this.#rows.slice(first, last);
    return html`<div class="body" role="rowgroup" @scroll=${(e: Event) => (this.scrolled = (e.target as HTMLElement).scrollTop)}>
      <div class="spacer-rows" style="height: ${this.#rows.length * ROW_HEIGHT}px">
        <div class="window" style="transform: translateY(${first * ROW_HEIGHT}px)">
          ${repeat(shown, (entry) => entry.id, (entry, i) => this.#renderRow(entry, first + i))}
        </div>
      </div>
    </div>`;
  }

  #renderRow = (entry: LogEntry, index: number) => {
    const selected = entry.actor === this.selected;
    const internal = entry.event.startsWith('xstate.');
    return html`<div
      class="row ${selected ? 'selected' : ''} ${entry.changed ? 'changed' : ''}"
      role="row"
      aria-rowindex=${index + 2}
      data-actor=${entry.actor}
      @click=${() => this.dispatchEvent(new LamaActorSelectEvent(entry.actor))}
    >
      <span role="cell" class="time">${formatTime(entry.at)}</span>
      <span role="cell" class="actor" title=${entry.actorName}><span class="source ${entry.source}" title=${entry.source === 'node' ? 'Node host' : 'This window'}></span>${entry.actorName}</span>
      <span role="cell" class="event ${internal ? 'internal' : ''}" title=${entry.event}><span class="type">${logLabel(entry.event)}</span>${entry.sender ? html`<span class="sender"> from ${entry.sender}</span>` : nothing}</span>
      <span role="cell" class="transition" title=${entry.from === undefined ? entry.to : `${entry.from} → ${entry.to}`}>${entry.changed
        ? html`${entry.from !== undefined ? html`<span class="from">${entry.from}</span><span class="arrow">→</span>` : html`<span class="arrow">◦</span>`}<span class="to">${entry.to}</span>`
        : html`<span class="same">${entry.to}</span>`}</span>
    </div>`;
  };
}

/** XState's internal events in words: `start`, `onDone storing`, `after 5s`. */
export function logLabel(event: string): string {
  if (event === 'xstate.init') return 'init';
  if (event === 'xstate.start') return 'start';
  if (event === 'xstate.stop') return 'stop';
  const invoked = /^xstate\.(done|error)\.actor\.(.+)$/.exec(event);
  if (invoked) return `${invoked[1] === 'done' ? 'onDone' : 'onError'} ${invokeName(invoked[2]!)}`;
  return eventLabel(event);
}

/** `0.aiListener.answering.storing` (a generated invoke id) → `answering.storing`; named ids stay. */
function invokeName(id: string): string {
  const generated = /^\d+\.[^.]+\.(.+)$/.exec(id);
  return generated ? generated[1]! : id;
}

function formatTime(at: number): string {
  const date = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-event-log': LamaEventLog;
  }
}
