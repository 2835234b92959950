import { html, LitElement, nothing, svg, type PropertyValues, type SVGTemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { controls, theme } from '../theme.styles.ts';
import { inspectorTheme } from './inspector-theme.styles.ts';
import { styles } from './lama-statechart.styles.ts';
import { METRICS, type ChartEdge, type ChartLayout, type ChartNode } from './statechart-layout.ts';

/** The transition just taken: its edges (and in-place event lines) glow once; `serial` replays it. */
export interface FiredTransition {
  readonly serial: number;
  readonly edges: readonly string[];
  /** `<state path>|<event>` of events handled in place. */
  readonly lines: readonly string[];
}

const MIN_ZOOM = 0.25;
const MAX_ZOOM = 2;
/** Fitting never shrinks text below this (11 px labels stay ≥ 9 px): a larger chart scrolls, centred on the active states. */
const MIN_FIT = 0.85;

/**
 * One machine drawn from its ELK layout: states as rounded boxes (regions of a parallel state
 * dashed, final states double-bordered), initial markers, edges labelled with their events. The
 * active states are highlighted, the transitions leave them tinted, and the one just taken is
 * animated. Scrolls and zooms (buttons, Ctrl+wheel, + − 0 keys), drags to pan.
 */
@customElement('lama-statechart')
export class LamaStatechart extends LitElement {
  static override styles = [theme, controls, inspectorTheme, styles];

  @property({ attribute: false }) layout?: ChartLayout;
  /** Active state paths, ancestors included ('' is the machine). */
  @property({ attribute: false }) active: ReadonlySet<string> = new Set();
  @property({ attribute: false }) fired?: FiredTransition;
  /** What the chart shows, for assistive technology: "aiListener in answering.generating". */
  @property() label = '';

  @state() private zoom = 1;
  @query('.viewport') private viewport!: HTMLElement;
  #fitted?: ChartLayout;
  #drag?: { x: number; y: number; left: number; top: number; pointer: number };

  override render() {
    const layout = this.layout;
    if (!layout) return html`<div class="viewport empty-chart"><slot></slot></div>`;
    const w = layout.width;
    const h = layout.height;
    return html`
      <div class="toolbar" role="toolbar" aria-label="Zoom">
        <button class="ghost small" aria-label="Zoom out" title="Zoom out (−)" @click=${() => this.#zoomBy(1 / 1.25)}>−</button>
        <output aria-live="polite" aria-label="Zoom level">${Math.round(this.zoom * 100)}%</output>
        <button class="ghost small" aria-label="Zoom in" title="Zoom in (+)" @click=${() => this.#zoomBy(1.25)}>+</button>
        <button class="ghost small" aria-label="Fit the whole chart" title="Fit (0)" @click=${() => this.fit(true)}>Fit</button>
      </div>
      <div
        class="viewport"
        tabindex="0"
        role="group"
        aria-roledescription="statechart"
        aria-label=${this.label}
        @keydown=${this.#onKey}
        @wheel=${this.#onWheel}
        @pointerdown=${this.#onPointerDown}
        @pointermove=${this.#onPointerMove}
        @pointerup=${this.#onPointerUp}
        @pointercancel=${this.#onPointerUp}
      >
        <svg width=${Math.ceil(w * this.zoom)} height=${Math.ceil(h * this.zoom)} viewBox="0 0 ${w} ${h}" role="img" aria-label=${this.label}>
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0 1 L9 5 L0 9 z" class="arrow"></path>
            </marker>
            <marker id="arrow-next" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0 1 L9 5 L0 9 z" class="arrow next"></path>
            </marker>
            <marker id="arrow-fired" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0 1 L9 5 L0 9 z" class="arrow fired"></path>
            </marker>
          </defs>
          ${layout.nodes.map((node) => this.#node(node))}
          ${layout.markers.map((m) => svg`<circle class="initial" cx=${m.x + m.size / 2} cy=${m.y + m.size / 2} r=${m.size / 2}></circle>`)}
          ${layout.edges.map((edge) => this.#edge(edge))}
          ${layout.edges.map((edge) => this.#label(edge))}
          ${this.fired ? keyed(this.fired.serial, this.#firedOverlay(layout, this.fired)) : nothing}
        </svg>
      </div>
    `;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('layout') && this.layout && this.layout !== this.#fitted) {
      this.#fitted = this.layout;
      this.fit();
    } else if (changed.has('active') && !sameSet(changed.get('active'), this.active)) {
      this.#follow();
    }
  }

  /**
   * Shows the whole chart (`whole`, the Fit button), or — when a chart first appears — the whole
   * chart if it is readable at that size, else the active states at the smallest readable size.
   */
  fit(whole = false): void {
    const layout = this.layout;
    if (!layout || !this.viewport) return;
    const box = this.viewport.getBoundingClientRect();
    const scale = Math.min((box.width - 8) / layout.width, (box.height - 8) / layout.height, 1);
    const fitted = Number.isFinite(scale) && scale > 0 ? scale : 1;
    this.zoom = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, whole ? fitted : Math.max(fitted, MIN_FIT)));
    void this.updateComplete.then(() => this.revealActive());
  }

  /** Scrolls the active leaf states (all regions' together) into the middle of the view. */
  revealActive(behavior: ScrollBehavior = 'instant'): void {
    const box = this.#activeBox();
    if (!box || !this.viewport) return;
    const { width, height } = this.viewport.getBoundingClientRect();
    this.viewport.scrollTo({ left: (box.x + box.width / 2) * this.zoom - width / 2, top: (box.y + box.height / 2) * this.zoom - height / 2, behavior });
  }

  /** After a transition: brings the new active states into view if they left it (not while someone drags). */
  #follow(): void {
    const box = this.#activeBox();
    if (!box || !this.viewport || this.#drag) return;
    const { scrollLeft, scrollTop, clientWidth, clientHeight } = this.viewport;
    const z = this.zoom;
    const inView = box.x * z >= scrollLeft && (box.x + box.width) * z <= scrollLeft + clientWidth && box.y * z >= scrollTop && (box.y + box.height) * z <= scrollTop + clientHeight;
    if (!inView) this.revealActive('smooth');
  }

  /** The box around the active states that have no active state inside them. */
  #activeBox(): { x: number; y: number; width: number; height: number } | undefined {
    const active = this.layout?.nodes.filter((node) => this.active.has(node.path)) ?? [];
    const leaves = active.filter((node) => !active.some((other) => other.path.startsWith(`${node.path}.`) || (node.path === '' && other.path !== '')));
    if (!leaves.length) return undefined;
    const x = Math.min(...leaves.map((n) => n.x));
    const y = Math.min(...leaves.map((n) => n.y));
    return { x, y, width: Math.max(...leaves.map((n) => n.x + n.width)) - x, height: Math.max(...leaves.map((n) => n.y + n.height)) - y };
  }

  #node(node: ChartNode): SVGTemplateResult {
    const active = this.active.has(node.path);
    const compound = node.type === 'compound' || node.type === 'parallel';
    const classes = ['state', node.type, node.depth === 0 ? 'machine' : '', node.region ? 'region' : '', compound ? 'compound' : 'leaf', active ? 'active' : ''].filter(Boolean).join(' ');
    const title = METRICS.title.height;
    return svg`<g class=${classes} data-path=${node.path} aria-label=${`${node.key}${active ? ' (active)' : ''}`}>
      <rect class="box" x=${node.x} y=${node.y} width=${node.width} height=${node.height} rx=${node.region ? 6 : 9}></rect>
      ${node.type === 'final' ? svg`<rect class="final-ring" x=${node.x + 3.5} y=${node.y + 3.5} width=${node.width - 7} height=${node.height - 7} rx="6"></rect>` : nothing}
      <text class="title" x=${node.x + METRICS.pad} y=${node.y + title / 2 + 5}>${node.key}</text>
      ${node.lines.map((line, i) => {
        const fired = line.kind === 'event' && this.fired?.lines.includes(`${node.path}|${line.event}`);
        return svg`<text class="line ${line.kind} ${fired ? 'fired' : ''}" x=${node.x + METRICS.pad} y=${node.y + title + 4 + i * METRICS.line.height + METRICS.line.height / 2}>${line.kind === 'invoke' ? svg`<tspan class="keyword">invoke </tspan>${line.text.slice(7)}` : line.text}</text>`;
      })}
    </g>`;
  }

  #edge(edge: ChartEdge): SVGTemplateResult {
    const next = !edge.initial && this.active.has(edge.source.slice(2));
    return svg`<path class="edge ${edge.initial ? 'initial-edge' : ''} ${next ? 'next' : ''}" data-edge=${edge.id} d=${roundedPath(edge.points)} marker-end=${next ? 'url(#arrow-next)' : 'url(#arrow)'}></path>`;
  }

  #label(edge: ChartEdge): SVGTemplateResult | typeof nothing {
    const box = edge.labelBox;
    if (!box || !edge.label) return nothing;
    const next = this.active.has(edge.source.slice(2));
    return svg`<g class="edge-label ${next ? 'next' : ''}" data-edge=${edge.id}>
      <rect x=${box.x} y=${box.y} width=${box.width} height=${box.height} rx=${box.height / 2}></rect>
      <text x=${box.x + box.width / 2} y=${box.y + box.height / 2 + 0.5}>${edge.label}</text>
    </g>`;
  }

  #firedOverlay(layout: ChartLayout, fired: FiredTransition): SVGTemplateResult {
    const edges = layout.edges.filter((edge) => fired.edges.includes(edge.id));
    return svg`<g class="fired-layer">${edges.map(
      (edge) => svg`<path class="edge fired" data-fired=${edge.id} d=${roundedPath(edge.points)} marker-end="url(#arrow-fired)"></path>${
        edge.labelBox
          ? svg`<g class="edge-label fired"><rect x=${edge.labelBox.x} y=${edge.labelBox.y} width=${edge.labelBox.width} height=${edge.labelBox.height} rx=${edge.labelBox.height / 2}></rect><text x=${edge.labelBox.x + edge.labelBox.width / 2} y=${edge.labelBox.y + edge.labelBox.height / 2 + 0.5}>${edge.label}</text></g>`
          : nothing
      }`,
    )}</g>`;
  }

  #zoomBy(factor: number, around?: { x: number; y: number }): void {
    const viewport = this.viewport;
    const next = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, this.zoom * factor));
    if (!viewport || next === this.zoom) return;
    const box = viewport.getBoundingClientRect();
    const focus = around ?? { x: box.width / 2, y: box.height / 2 };
    // Keep the point under the pointer (or the middle) where it is.
    const chartX = (viewport.scrollLeft + focus.x) / this.zoom;
    const chartY = (viewport.scrollTop + focus.y) / this.zoom;
    this.zoom = next;
    void this.updateComplete.then(() => {
      viewport.scrollLeft = chartX * next - focus.x;
      viewport.scrollTop = chartY * next - focus.y;
    });
  }

  #onWheel = (event: WheelEvent): void => {
    if (!event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    const box = this.viewport.getBoundingClientRect();
    this.#zoomBy(event.deltaY < 0 ? 1.1 : 1 / 1.1, { x: event.clientX - box.left, y: event.clientY - box.top });
  };

  #onKey = (event: KeyboardEvent): void => {
    const viewport = this.viewport;
    const step = 60;
    const actions: Record<string, () => void> = {
      '+': () => this.#zoomBy(1.25),
      '=': () => this.#zoomBy(1.25),
      '-': () => this.#zoomBy(1 / 1.25),
      '0': () => this.fit(true),
      ArrowLeft: () => (viewport.scrollLeft -= step),
      ArrowRight: () => (viewport.scrollLeft += step),
      ArrowUp: () => (viewport.scrollTop -= step),
      ArrowDown: () => (viewport.scrollTop += step),
    };
    const action = actions[event.key];
    if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    action();
  };

  #onPointerDown = (event: PointerEvent): void => {
    if (event.button !== 0 || event.pointerType === 'touch') return;
    const viewport = this.viewport;
    this.#drag = { x: event.clientX, y: event.clientY, left: viewport.scrollLeft, top: viewport.scrollTop, pointer: event.pointerId };
    viewport.setPointerCapture(event.pointerId);
    viewport.classList.add('dragging');
  };

  #onPointerMove = (event: PointerEvent): void => {
    const drag = this.#drag;
    if (!drag || drag.pointer !== event.pointerId) return;
    this.viewport.scrollLeft = drag.left - (event.clientX - drag.x);
    this.viewport.scrollTop = drag.top - (event.clientY - drag.y);
  };

  #onPointerUp = (event: PointerEvent): void => {
    if (this.#drag?.pointer !== event.pointerId) return;
    this.#drag = undefined;
    this.viewport.classList.remove('dragging');
  };
}

function sameSet(a: ReadonlySet<string> | undefined, b: ReadonlySet<string>): boolean {
  return !!a && a.size === b.size && [...a].every((item) => b.has(item));
}

/** An orthogonal route with its corners rounded. */
export function roundedPath(points: readonly { readonly x: number; readonly y: number }[], radius = 7): string {
  if (points.length === 0) return '';
  let d = `M${points[0]!.x} ${points[0]!.y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const prev = points[i - 1]!;
    const at = points[i]!;
    const next = points[i + 1]!;
    const r = Math.min(radius, Math.hypot(at.x - prev.x, at.y - prev.y) / 2, Math.hypot(next.x - at.x, next.y - at.y) / 2);
    const into = toward(at, prev, r);
    const out = toward(at, next, r);
    d += ` L${into.x} ${into.y} Q${at.x} ${at.y} ${out.x} ${out.y}`;
  }
  const last = points[points.length - 1]!;
  return `${d} L${last.x} ${last.y}`;
}

function toward(from: { x: number; y: number }, to: { x: number; y: number }, distance: number): { x: number; y: number } {
  const length = Math.hypot(to.x - from.x, to.y - from.y) || 1;
  return { x: round(from.x + ((to.x - from.x) / length) * distance), y: round(from.y + ((to.y - from.y) / length) * distance) };
}

const round = (n: number) => Math.round(n * 10) / 10;

declare global {
  interface HTMLElementTagNameMap {
    'lama-statechart': LamaStatechart;
  }
}
