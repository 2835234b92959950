import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { ChartState, ChartStateType, MachineDefinition } from '../../actors/inspection/machine-definition.ts';

/**
 * A machine definition → an ELK graph (layered, left to right, hierarchical: a compound state is
 * a compound node, each transition an edge labelled with its event, each initial state entered
 * from a small marker node) → a layout in absolute coordinates that `<lama-statechart>` draws.
 * ELK runs in a Web Worker, loaded on first use (1.6 MB that the rest of the app never pays for);
 * layouts are cached per definition id, so a machine is laid out once.
 */

/** Paths are dotted keys from the root; the root itself is ''. Node ids are `s:<path>`. */
export const nodeId = (path: string): string => `s:${path}`;
const markerId = (path: string): string => `i:${path}`;
const join = (parent: string, key: string): string => (parent === '' ? key : `${parent}.${key}`);

/** The sizes `<lama-statechart>` draws with: the layout reserves exactly this room. */
export const METRICS = {
  /** A state's title line. */
  title: { font: '600 12.5px system-ui, sans-serif', height: 30 },
  /** One line inside a state: an invoked logic or an event handled without leaving the state. */
  line: { font: '11px ui-monospace, monospace', height: 17 },
  /** An edge's label. */
  label: { font: '11px ui-monospace, monospace', height: 18, padX: 6 },
  pad: 12,
  minWidth: 88,
  marker: 10,
} as const;

export type Measure = (text: string, font: string) => number;

/** Monospace widths are exact at 0.6 em; proportional titles are estimated (tests, no canvas). */
export const estimateWidth: Measure = (text, font) => {
  const size = Number(/([\d.]+)px/.exec(font)?.[1] ?? 12);
  return text.length * size * (font.includes('monospace') ? 0.6 : 0.58);
};

export interface ChartNode {
  readonly path: string;
  readonly key: string;
  readonly type: ChartStateType;
  readonly depth: number;
  /** A region of a parallel state (drawn dashed). */
  readonly region: boolean;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Lines under the title: `invoke <src>`, then events handled in place. */
  readonly lines: readonly ChartLine[];
}

export interface ChartLine {
  readonly kind: 'invoke' | 'event';
  readonly text: string;
  /** For events: the raw event type, to highlight the line when it fires. */
  readonly event?: string;
}

export interface ChartEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** The raw event type ('' for always), to match the events the actor receives. */
  readonly event: string;
  readonly label: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly labelBox?: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** An edge from an initial marker into the initial state. */
  readonly initial: boolean;
}

export interface ChartLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly ChartNode[];
  readonly markers: readonly { readonly x: number; readonly y: number; readonly size: number }[];
  readonly edges: readonly ChartEdge[];
}

/**
 * What people read for XState's internal event types: `onDone`/`onError` for an invoked actor's
 * end, `after 5s` for a delay, `always` for an eventless transition.
 */
export function eventLabel(event: string): string {
  if (event === '') return 'always';
  if (event.startsWith('xstate.done.actor.')) return 'onDone';
  if (event.startsWith('xstate.error.actor.')) return 'onError';
  if (event.startsWith('xstate.done.state.')) return 'onDone';
  const after = /^xstate\.after\.([^.]+)\./.exec(event);
  if (after) return `after ${/^\d+$/.test(after[1]!) ? formatDelay(Number(after[1])) : after[1]}`;
  return event;
}

function formatDelay(ms: number): string {
  return ms >= 1000 && ms % 100 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Does a transition for `descriptor` (`llm.done`, `llm.*`, `*`) take `event`? As XState matches them. */
export function eventMatches(descriptor: string, event: string): boolean {
  if (descriptor === event || descriptor === '*') return true;
  return descriptor.endsWith('.*') && event.startsWith(descriptor.slice(0, -1));
}

/** For every level: ELK reads most options per compound node, even when it lays out the hierarchy in one pass. */
const LEVEL_OPTIONS = {
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  // From the initial marker (each level's first child) depth first: states read in the order they are entered.
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
  // Within a layer, states keep the order they are written in (each child's `elk.position` says it);
  // `considerModelOrder` would say so more simply, but crashes ELK 0.12 on nested levels.
  'elk.layered.crossingMinimization.semiInteractive': 'true',
  'elk.layered.spacing.nodeNodeBetweenLayers': '28',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '10',
  'elk.spacing.nodeNode': '22',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '10',
} as const;

const ROOT_OPTIONS = {
  ...LEVEL_OPTIONS,
  'elk.algorithm': 'layered',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
} as const;

/** Labels sit on their edge, as pills, rather than beside it. */
const LABEL_OPTIONS = { 'elk.edgeLabels.inline': 'true' } as const;

interface GraphNode extends ElkNode {
  children?: GraphNode[];
}

/**
 * The ELK graph for a definition. Each edge sits in the node that contains both its ends (ELK's
 * convention); with `json.*Coords: ROOT` every coordinate comes back absolute.
 */
export function toElkGraph(definition: MachineDefinition, measure: Measure = estimateWidth): ElkNode {
  const edges: { container: string; edge: ElkExtendedEdge }[] = [];
  const paths = new Set<string>();
  const collect = (state: ChartState, path: string) => {
    paths.add(path);
    for (const child of state.states ?? []) collect(child, join(path, child.key));
  };
  collect(definition.root, '');

  const build = (state: ChartState, path: string): GraphNode => {
    const lines = linesOf(state);
    const titleWidth = measure(state.key || definition.id, METRICS.title.font) + 2 * METRICS.pad + (state.type === 'final' ? 8 : 0);
    const linesWidth = Math.max(0, ...lines.map((line) => measure(line.text, METRICS.line.font) + 2 * METRICS.pad));
    const width = Math.ceil(Math.max(METRICS.minWidth, titleWidth, linesWidth));
    const header = METRICS.title.height + lines.length * METRICS.line.height + (lines.length ? 6 : 0);
    const children: GraphNode[] = [];
    for (const child of state.states ?? []) children.push(build(child, join(path, child.key)));
    const node: GraphNode = { id: nodeId(path) };
    if (children.length) {
      if (state.initial !== undefined && paths.has(join(path, state.initial))) {
        children.unshift({ id: markerId(path), width: METRICS.marker, height: METRICS.marker });
        edges.push({ container: path, edge: { id: `init:${path}`, sources: [markerId(path)], targets: [nodeId(join(path, state.initial))] } });
      }
      children.forEach((child, order) => (child.layoutOptions = { ...child.layoutOptions, 'elk.position': `(0,${order * 100})` }));
      node.children = children;
      node.layoutOptions = {
        ...LEVEL_OPTIONS,
        'elk.padding': `[top=${header + 8},left=${METRICS.pad + 2},bottom=${METRICS.pad + 2},right=${METRICS.pad + 2}]`,
        'elk.nodeSize.constraints': '[MINIMUM_SIZE]',
        'elk.nodeSize.minimum': `(${width}, ${header + 24})`,
        // A parallel state's regions have no edges between them: one column, close together.
        ...(state.type === 'parallel' ? { 'elk.spacing.nodeNode': '14' } : {}),
      };
    } else {
      node.width = width;
      node.height = Math.max(header + (lines.length ? 4 : 6), 36);
    }
    state.on?.forEach((transition, index) => {
      transition.targets?.forEach((target, k) => {
        if (!paths.has(target)) return;
        const label = transition.guard ? `${eventLabel(transition.event)} [${transition.guard}]` : eventLabel(transition.event);
        edges.push({
          container: containerOf(path, target),
          edge: {
            id: `t:${path}:${index}:${k}`,
            sources: [nodeId(path)],
            targets: [nodeId(target)],
            labels: [{ id: `l:${path}:${index}:${k}`, text: label, layoutOptions: LABEL_OPTIONS, width: Math.ceil(measure(label, METRICS.label.font) + 2 * METRICS.label.padX), height: METRICS.label.height }],
          },
        });
      });
    });
    return node;
  };

  const root = build(definition.root, '');
  const byPath = new Map<string, GraphNode>();
  const index = (node: GraphNode) => {
    byPath.set(node.id, node);
    node.children?.forEach(index);
  };
  index(root);
  for (const { container, edge } of edges) {
    const holder = byPath.get(nodeId(container))!;
    (holder.edges ??= []).push(edge);
  }
  return { id: 'chart', layoutOptions: ROOT_OPTIONS, children: [root] };
}

/** A state's lines: what it invokes, then the events it handles without leaving. */
function linesOf(state: ChartState): ChartLine[] {
  const lines: ChartLine[] = (state.invoke ?? []).map((entry) => ({ kind: 'invoke', text: `invoke ${entry.src}` }));
  const seen = new Set<string>();
  for (const transition of state.on ?? []) {
    if (transition.targets?.length) continue;
    const text = transition.guard ? `${eventLabel(transition.event)} [${transition.guard}]` : eventLabel(transition.event);
    if (seen.has(text)) continue;
    seen.add(text);
    lines.push({ kind: 'event', text, event: transition.event });
  }
  return lines;
}

/**
 * ELK's edge containment: the lowest common ancestor of both ends; a node when the other end is
 * inside it; the parent for a self-loop.
 */
function containerOf(source: string, target: string): string {
  const parentOf = (path: string) => (path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '');
  const within = (path: string, ancestor: string) => ancestor === '' || path === ancestor || path.startsWith(`${ancestor}.`);
  if (source === target) return parentOf(source);
  if (within(target, source)) return source;
  if (within(source, target)) return target;
  let common = parentOf(source);
  while (!within(target, common)) common = parentOf(common);
  return common;
}

/** Reads ELK's answer (absolute coordinates) into what the chart draws. */
export function readLayout(definition: MachineDefinition, laidOut: ElkNode): ChartLayout {
  const nodes: ChartNode[] = [];
  const markers: { x: number; y: number; size: number }[] = [];
  const edges: ChartEdge[] = [];
  const states = new Map<string, { state: ChartState; depth: number; region: boolean }>();
  const walk = (state: ChartState, path: string, depth: number, region: boolean) => {
    states.set(nodeId(path), { state, depth, region });
    for (const child of state.states ?? []) walk(child, join(path, child.key), depth + 1, state.type === 'parallel');
  };
  walk(definition.root, '', 0, false);
  const visit = (node: ElkNode) => {
    const known = states.get(node.id);
    if (known) {
      const path = node.id.slice(2);
      nodes.push({
        path,
        key: known.state.key || definition.id,
        type: known.state.type,
        depth: known.depth,
        region: known.region,
        x: node.x ?? 0,
        y: node.y ?? 0,
        width: node.width ?? 0,
        height: node.height ?? 0,
        lines: linesOf(known.state),
      });
    } else if (node.id.startsWith('i:')) {
      markers.push({ x: node.x ?? 0, y: node.y ?? 0, size: node.width ?? METRICS.marker });
    }
    for (const edge of node.edges ?? []) {
      const section = edge.sections?.[0];
      if (!section) continue;
      const label = edge.labels?.[0];
      const initial = edge.id.startsWith('init:');
      const event = initial ? '' : transitionOf(definition, edge.id)?.event ?? '';
      edges.push({
        id: edge.id,
        source: edge.sources[0]!,
        target: edge.targets[0]!,
        event,
        label: label?.text ?? '',
        points: [section.startPoint, ...(section.bendPoints ?? []), section.endPoint],
        ...(label ? { labelBox: { x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0 } } : {}),
        initial,
      });
    }
    node.children?.forEach(visit);
  };
  visit(laidOut);
  stretchRegions(nodes);
  // Outer states first, so inner ones are drawn on top.
  nodes.sort((a, b) => a.depth - b.depth);
  return { width: Math.ceil(laidOut.width ?? 0), height: Math.ceil(laidOut.height ?? 0), nodes, markers, edges };
}

/** A parallel state's regions share one left and one right edge, like rows of a table. */
function stretchRegions(nodes: ChartNode[]): void {
  const byParent = new Map<string, number[]>();
  nodes.forEach((node, index) => {
    if (!node.region) return;
    const parent = node.path.includes('.') ? node.path.slice(0, node.path.lastIndexOf('.')) : '';
    byParent.set(parent, [...(byParent.get(parent) ?? []), index]);
  });
  for (const indexes of byParent.values()) {
    const left = Math.min(...indexes.map((i) => nodes[i]!.x));
    const right = Math.max(...indexes.map((i) => nodes[i]!.x + nodes[i]!.width));
    for (const i of indexes) nodes[i] = { ...nodes[i]!, x: left, width: right - left };
  }
}

function transitionOf(definition: MachineDefinition, edgeId: string) {
  const [, path, index] = /^t:(.*):(\d+):\d+$/.exec(edgeId) ?? [];
  if (path === undefined) return undefined;
  let state: ChartState | undefined = definition.root;
  for (const key of path === '' ? [] : path.split('.')) state = state?.states?.find((child) => child.key === key);
  return state?.on?.[Number(index)];
}

/** What lays a graph out: ELK, in a Web Worker in the page, on the calling thread in tests. */
export interface LayoutEngine {
  layout(graph: ElkNode): Promise<ElkNode>;
}
type ElkConstructor = new (options?: { workerFactory?: () => Worker }) => LayoutEngine & { knownLayoutAlgorithms(): Promise<unknown> };

let worker: Promise<LayoutEngine> | undefined;
const layouts = new Map<string, Promise<ChartLayout>>();
/** Laid-out definitions kept: every machine LAMA has, several times over. */
const MAX_LAYOUTS = 64;

/**
 * ELK in a Web Worker, started on first use: the layout never blocks the page, and its 1.6 MB
 * script loads only when someone opens the inspector (Vite emits it beside the bundle; the page's
 * `default-src 'self'` allows it). A worker that cannot start fails the layout, and a later one
 * tries again.
 */
export function workerEngine(): Promise<LayoutEngine> {
  worker ??= startWorker().catch((error: unknown) => {
    worker = undefined;
    throw error;
  });
  return worker;
}

async function startWorker(): Promise<LayoutEngine> {
  const [{ default: url }, api] = await Promise.all([import('elkjs/lib/elk-worker.min.js?url'), import('elkjs/lib/elk-api.js')]);
  const thread = new Worker(url);
  const engine = new (elkConstructor(api))({ workerFactory: () => thread });
  // A worker that cannot load reports an error event and never answers: ask it something first.
  await new Promise<void>((resolve, reject) => {
    const failed = () => {
      clearTimeout(timer);
      thread.terminate();
      reject(new Error('the layout worker did not start'));
    };
    const timer = setTimeout(failed, 15_000);
    thread.addEventListener('error', failed, { once: true });
    engine.knownLayoutAlgorithms().then(() => {
      clearTimeout(timer);
      thread.removeEventListener('error', failed);
      resolve();
    }, failed);
  });
  return engine;
}

/** ELK's modules are CommonJS: whether `default` is the class or holds it depends on who bundled them. */
export function elkConstructor(module: unknown): ElkConstructor {
  const exported = (module as { default: ElkConstructor & { default?: ElkConstructor } }).default;
  return exported.default ?? exported;
}

/** The layout of a definition, computed once per definition id. */
export function layoutStatechart(id: string, definition: MachineDefinition, measure: Measure = estimateWidth, engine: () => Promise<LayoutEngine> = workerEngine): Promise<ChartLayout> {
  let layout = layouts.get(id);
  if (!layout) {
    layout = engine().then(async (elk) => readLayout(definition, await elk.layout(toElkGraph(definition, measure))));
    layouts.set(id, layout);
    layout.catch(() => layouts.delete(id));
    if (layouts.size > MAX_LAYOUTS) layouts.delete(layouts.keys().next().value!);
  }
  return layout;
}
