import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { RendererServices } from '../services.ts';
import { controls, theme } from '../theme.styles.ts';
import { InspectionFeed } from './inspection-feed.ts';
import { LamaActorSelectEvent } from './inspector-events.ts';
import { inspectorTheme } from './inspector-theme.styles.ts';
import { activePaths, displayName, InspectorModel, stateText, type InspectedActor } from './inspector-model.ts';
import './lama-actor-tree.ts';
import './lama-event-log.ts';
import { styles } from './lama-inspector.styles.ts';
import './lama-json-tree.ts';
import './lama-statechart.ts';
import type { FiredTransition } from './lama-statechart.ts';
import { eventMatches, layoutStatechart, type ChartLayout, type Measure } from './statechart-layout.ts';

type Chart =
  | { readonly state: 'none' }
  | { readonly state: 'loading'; readonly key: string }
  | { readonly state: 'ready'; readonly key: string; readonly layout: ChartLayout }
  | { readonly state: 'failed'; readonly key: string; readonly message: string };

/** The splitter keeps both the chart and the log usable. */
const MIN_LOG = 120;
const MIN_CHART = 200;

const STATUS_BADGE: Record<string, string> = { active: 'ok', done: 'busy', error: 'error', stopped: '' };

/**
 * The live statechart inspector (issue 7): every actor of the Node host and of this window in a
 * tree; the selected one's machine drawn with its active states lit and its last transition
 * animated; its context as a JSON tree; and the event log with filters. Reads the Node host
 * through `services` (`orchestrate:inspection`, `status:inspection`) and this window through
 * `services.collector`; holds nothing else.
 */
@customElement('lama-inspector')
export class LamaInspector extends LitElement {
  static override styles = [theme, controls, inspectorTheme, styles];

  @property({ attribute: false }) services?: RendererServices;

  @state() private selected?: string;
  @state() private chart: Chart = { state: 'none' };
  /** The event log's height once someone dragged the splitter; until then the stylesheet's. */
  @state() private logHeight?: number;
  #model = new InspectorModel();
  #feed = new InspectionFeed(this, this.#model);
  #offModel?: () => void;
  #fired?: FiredTransition;
  /** The selected actor's record the chart last showed: a newer one may fire a transition. */
  #shown?: InspectedActor;
  #measure?: Measure;
  /** Whether someone picked the selected actor (else the inspector picks the root it finds first). */
  #chosen = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#model.keep = (key) => key === this.selected;
    this.#offModel = this.#model.subscribe(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#offModel?.();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('services')) this.#feed.services = this.services;
    if (!this.#chosen || !this.selected || !this.#model.actor(this.selected)) {
      // Until someone picks, show where people look first: the Node host's root (the app), else this window's first actor.
      const actors = this.#model.actors;
      const first = actors.find((a) => a.source === 'node' && !a.parent) ?? actors.find((a) => !a.parent) ?? actors[0];
      if (first && first.key !== this.selected) this.selected = first.key;
    }
    const actor = this.selected ? this.#model.actor(this.selected) : undefined;
    this.#updateFired(actor);
    this.#updateChart(actor);
  }

  override render() {
    const actor = this.selected ? this.#model.actor(this.selected) : undefined;
    return html`
      <div class="side">
        <aside class="pane tree-pane" aria-label="Actors">
          <header class="pane-head"><h2>Actors</h2></header>
          <lama-actor-tree .actors=${this.#model.actors} .selected=${this.selected} .node=${this.#feed.node} @lama-actor-select=${this.#onSelect}></lama-actor-tree>
        </aside>
        <aside class="pane context-pane" aria-label="Context">
          <header class="pane-head">
            <h2>Context</h2>
            ${actor?.context !== undefined ? html`<span class="hint" title="Long values are cut and fields that look secret are redacted before they leave the actor">summarised</span>` : nothing}
          </header>
          <div class="context-body">
            ${actor ? html`<lama-json-tree .value=${actor.context}></lama-json-tree>${this.#details(actor)}` : html`<p class="none">No actor selected.</p>`}
          </div>
        </aside>
      </div>
      <div class="main" style=${this.logHeight ? `--log-height: ${this.logHeight}px` : ''}>
        <section class="pane chart-pane" aria-label="Statechart">
          ${this.#chartHead(actor)}
          <lama-statechart
            .layout=${this.chart.state === 'ready' ? this.chart.layout : undefined}
            .active=${activePaths(actor?.state)}
            .fired=${this.#fired}
            label=${actor ? `${displayName(actor)} in ${stateText(actor)}` : ''}
          >
            <p class="chart-note">${this.#chartNote(actor)}</p>
          </lama-statechart>
        </section>
        <div
          class="splitter"
          role="separator"
          tabindex="0"
          aria-orientation="horizontal"
          aria-label="Event log height"
          aria-valuemin=${MIN_LOG}
          aria-valuemax=${Math.round(this.#maxLog())}
          aria-valuenow=${Math.round(this.logHeight ?? this.#logPane()?.getBoundingClientRect().height ?? 0)}
          @pointerdown=${this.#onSplitterDown}
          @keydown=${this.#onSplitterKey}
        ></div>
        <section class="pane log-pane" aria-label="Event log">
          <lama-event-log
            .entries=${this.#model.log}
            .actors=${this.#model.actors}
            .selected=${this.selected}
            .logged=${this.#model.logged}
            @lama-actor-select=${this.#onSelect}
            @lama-log-clear=${() => this.#model.clearLog()}
          ></lama-event-log>
        </section>
      </div>
    `;
  }

  #logPane(): HTMLElement | null | undefined {
    return this.renderRoot?.querySelector<HTMLElement>('.log-pane');
  }

  #maxLog(): number {
    const main = this.renderRoot?.querySelector<HTMLElement>('.main');
    return Math.max(MIN_LOG, (main?.getBoundingClientRect().height ?? 600) - MIN_CHART);
  }

  #setLogHeight(height: number): void {
    this.logHeight = Math.max(MIN_LOG, Math.min(this.#maxLog(), height));
  }

  #onSplitterDown = (event: PointerEvent): void => {
    if (event.button !== 0) return;
    const splitter = event.currentTarget as HTMLElement;
    const start = event.clientY;
    const height = this.#logPane()?.getBoundingClientRect().height ?? 0;
    splitter.setPointerCapture(event.pointerId);
    const move = (e: PointerEvent) => this.#setLogHeight(height - (e.clientY - start));
    const up = () => {
      splitter.removeEventListener('pointermove', move);
      splitter.removeEventListener('pointerup', up);
      splitter.removeEventListener('pointercancel', up);
    };
    splitter.addEventListener('pointermove', move);
    splitter.addEventListener('pointerup', up);
    splitter.addEventListener('pointercancel', up);
  };

  #onSplitterKey = (event: KeyboardEvent): void => {
    const step = event.shiftKey ? 96 : 24;
    const height = this.logHeight ?? this.#logPane()?.getBoundingClientRect().height ?? 0;
    if (event.key === 'ArrowUp') this.#setLogHeight(height + step);
    else if (event.key === 'ArrowDown') this.#setLogHeight(height - step);
    else return;
    event.preventDefault();
  };

  #chartHead(actor: InspectedActor | undefined) {
    if (!actor) return html`<header class="chart-head"><h1>Inspector</h1></header>`;
    const machine = this.#model.definition(actor.source, actor.machine);
    return html`<header class="chart-head">
      <h1 title=${actor.actorId}>${displayName(actor)}</h1>
      <span class="badge ${STATUS_BADGE[actor.status] ?? ''}">${actor.status}</span>
      ${machine ? html`<span class="tag" title="Machine">${machine.id}</span>` : nothing}
      <span class="tag source ${actor.source}">${actor.source === 'node' ? 'Node host' : 'This window'}</span>
      <span class="current" title="Current state"><span class="label">state</span> <code>${stateText(actor)}</code></span>
      ${actor.lastEvent ? html`<span class="current" title="The event of the latest snapshot"><span class="label">last event</span> <code>${actor.lastEvent}</code></span>` : nothing}
    </header>`;
  }

  #chartNote(actor: InspectedActor | undefined): string {
    if (!actor) return this.#model.actors.length ? 'Select an actor to see its statechart.' : 'Waiting for the first actors…';
    if (!actor.machine) return `${displayName(actor)} is not a state machine (a promise or callback actor): it has a status, no states to draw.`;
    if (this.chart.state === 'failed') return `The chart could not be laid out: ${this.chart.message}`;
    if (!this.#model.definition(actor.source, actor.machine)) return 'Fetching the machine’s definition…';
    return 'Laying out the chart…';
  }

  #details(actor: InspectedActor) {
    const parent = actor.parent ? this.#model.actor(actor.parent) : undefined;
    return html`<dl class="details">
      <dt>Actor id</dt><dd><code>${actor.actorId}</code></dd>
      <dt>Name</dt><dd><code>${actor.name}</code></dd>
      ${actor.systemId ? html`<dt>System id</dt><dd><code>${actor.systemId}</code></dd>` : nothing}
      ${parent ? html`<dt>Parent</dt><dd><button class="link" @click=${() => this.#onSelect(new LamaActorSelectEvent(parent.key))}>${displayName(parent)}</button></dd>` : nothing}
      ${actor.machine ? html`<dt>Definition</dt><dd><code>${actor.machine}</code></dd>` : nothing}
      <dt>Updated</dt><dd>${new Date(actor.at).toLocaleTimeString()}</dd>
      <dt>Transitions</dt><dd>${actor.transitions}</dd>
    </dl>`;
  }

  #onSelect = (event: CustomEvent<{ key: string }>): void => {
    event.stopPropagation();
    // A log row of an actor that ended before the inspector opened names no listed actor.
    if (!this.#model.actor(event.detail.key)) return;
    this.#chosen = true;
    this.selected = event.detail.key;
  };

  /** Lays the selected actor's machine out (cached per definition), once per change of machine. */
  #updateChart(actor: InspectedActor | undefined): void {
    const definition = actor ? this.#model.definition(actor.source, actor.machine) : undefined;
    if (!actor || !definition) {
      if (this.chart.state !== 'none') this.chart = { state: 'none' };
      return;
    }
    const key = `${actor.source}:${actor.machine}`;
    if (this.chart.state !== 'none' && this.chart.key === key) return;
    this.chart = { state: 'loading', key };
    layoutStatechart(key, definition, this.#textWidth()).then(
      (layout) => {
        if (this.chart.state === 'loading' && this.chart.key === key) this.chart = { state: 'ready', key, layout };
      },
      (error: unknown) => {
        if (this.chart.state === 'loading' && this.chart.key === key) this.chart = { state: 'failed', key, message: error instanceof Error ? error.message : String(error) };
      },
    );
  }

  /**
   * The transition the selected actor just took: edges whose event matches, from a state it left
   * to one it entered; or, for an event handled in place, that event's line in an active state.
   */
  #updateFired(actor: InspectedActor | undefined): void {
    const previous = this.#shown;
    this.#shown = actor;
    if (previous?.key !== actor?.key) this.#fired = undefined;
    if (!actor || !previous || previous.key !== actor.key || previous === actor || !actor.lastEvent || this.chart.state !== 'ready') return;
    const event = actor.lastEvent;
    const before = activePaths(actor.changed ? actor.previousState : actor.state);
    const after = activePaths(actor.state);
    const edges = actor.changed
      ? this.chart.layout.edges.filter((edge) => !edge.initial && eventMatches(edge.event, event) && before.has(edge.source.slice(2)) && after.has(edge.target.slice(2))).map((edge) => edge.id)
      : [];
    const lines = actor.changed
      ? []
      : this.chart.layout.nodes.filter((node) => after.has(node.path) && node.lines.some((line) => line.event !== undefined && eventMatches(line.event, event))).flatMap((node) =>
          node.lines.filter((line) => line.event !== undefined && eventMatches(line.event, event)).map((line) => `${node.path}|${line.event}`),
        );
    if (edges.length || lines.length) this.#fired = { serial: (this.#fired?.serial ?? 0) + 1, edges, lines };
  }

  /** Text widths as this page draws them (the chart's fonts), so labels fit their pills exactly. */
  #textWidth(): Measure {
    if (!this.#measure) {
      const context = document.createElement('canvas').getContext('2d');
      this.#measure = context
        ? (text, font) => {
            context.font = font;
            return context.measureText(text).width;
          }
        : undefined;
    }
    return this.#measure ?? ((text) => text.length * 7);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lama-inspector': LamaInspector;
  }
}
