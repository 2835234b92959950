import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { describe, expect, it } from 'vitest';
import { definitionId, describeMachine } from '../../actors/inspection/machine-definition.ts';
import { aiListenerMachine } from '../../machines/ai-listener.ts';
import { appMachine } from '../../machines/app.ts';
import { elkConstructor, eventLabel, eventMatches, layoutStatechart, toElkGraph, type ChartLayout, type LayoutEngine } from './statechart-layout.ts';

/** ELK on this thread: the same engine the page's worker runs, in Node too. */
const bundled = async (): Promise<LayoutEngine> => new (elkConstructor(await import('elkjs/lib/elk.bundled.js')))();

const aiListener = describeMachine(aiListenerMachine)!;
const app = describeMachine(appMachine)!;

/** Every node of the graph by id, with its parent's id. */
function index(graph: ElkNode): Map<string, { node: ElkNode; parent?: string }> {
  const nodes = new Map<string, { node: ElkNode; parent?: string }>();
  const walk = (node: ElkNode, parent?: string) => {
    nodes.set(node.id, { node, ...(parent ? { parent } : {}) });
    node.children?.forEach((child) => walk(child, node.id));
  };
  walk(graph);
  return nodes;
}

function edges(graph: ElkNode): (ElkExtendedEdge & { container: string })[] {
  const all: (ElkExtendedEdge & { container: string })[] = [];
  const walk = (node: ElkNode) => {
    node.edges?.forEach((edge) => all.push({ ...edge, container: node.id }));
    node.children?.forEach(walk);
  };
  walk(graph);
  return all;
}

describe('toElkGraph', () => {
  it('nests the AI listener\'s states as compound nodes: idle, answering.generating, answering.tools.awaitingApproval', () => {
    const nodes = index(toElkGraph(aiListener));
    expect(nodes.get('s:idle')?.parent).toBe('s:');
    expect(nodes.get('s:answering')?.parent).toBe('s:');
    expect(nodes.get('s:answering.generating')?.parent).toBe('s:answering');
    expect(nodes.get('s:answering.tools')?.parent).toBe('s:answering');
    expect(nodes.get('s:answering.tools.awaitingApproval')?.parent).toBe('s:answering.tools');
    // Atomic states have a size; compound ones get theirs from their children.
    expect(nodes.get('s:idle')!.node).toMatchObject({ width: expect.any(Number), height: expect.any(Number) });
    expect(nodes.get('s:answering')!.node.width).toBeUndefined();
    // Each compound level enters its initial state from a marker.
    expect(nodes.get('i:answering')?.parent).toBe('s:answering');
    expect(edges(toElkGraph(aiListener)).find((e) => e.id === 'init:answering.tools')).toMatchObject({ sources: ['i:answering.tools'], targets: ['s:answering.tools.running'] });
  });

  it('labels each transition with its event and guard, and puts it in the state that holds both ends', () => {
    const all = edges(toElkGraph(aiListener));
    const label = (from: string, to: string) => all.filter((e) => e.sources[0] === `s:${from}` && e.targets[0] === `s:${to}`).map((e) => [e.labels?.[0]?.text, e.container]);
    expect(label('answering.tools.awaitingApproval', 'answering.tools.remembering')).toEqual([['tool.decide [answersTheQuestion]', 's:answering.tools']]);
    expect(label('answering.generating', 'answering.tools')).toEqual([['llm.done [mayUseTools]', 's:answering']]);
    expect(label('answering.generating', 'closing')).toEqual([['llm.failed', 's:']]);
    expect(label('answering.storing', 'next')).toEqual([['onDone', 's:']]);
    expect(label('next', 'idle')).toEqual([['always', 's:']]);
    // Events handled in place draw no edge; the state lists them.
    expect(all.some((e) => e.labels?.[0]?.text === 'llm.text')).toBe(false);
  });

  it('keeps a parallel state\'s regions in the order they are written', () => {
    const nodes = index(toElkGraph(app));
    const running = nodes.get('s:live.running')!.node;
    expect(running.children!.map((c) => c.id)).toEqual(['s:live.running.workerPool', 's:live.running.federation', 's:live.running.ai']);
    expect(running.children!.map((c) => c.layoutOptions?.['elk.position'])).toEqual(['(0,0)', '(0,100)', '(0,200)']);
  });
});

describe('layoutStatechart', () => {
  const inside = (inner: { x: number; y: number; width: number; height: number }, outer: typeof inner) =>
    inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;

  it('places every state inside its parent and routes every transition, in absolute coordinates', async () => {
    const layout: ChartLayout = await layoutStatechart(`test:${definitionId(aiListener)}`, aiListener, undefined, bundled);
    const byPath = new Map(layout.nodes.map((node) => [node.path, node]));
    for (const node of layout.nodes) {
      if (node.path === '') continue;
      const parent = byPath.get(node.path.includes('.') ? node.path.slice(0, node.path.lastIndexOf('.')) : '')!;
      expect(inside(node, parent), `${node.path} inside its parent`).toBe(true);
    }
    expect(byPath.get('answering.tools.awaitingApproval')).toMatchObject({ depth: 3, type: 'atomic' });
    expect(byPath.get('answering.generating')!.lines.map((l) => l.text)).toEqual(['invoke generate', 'llm.text']);
    const decide = layout.edges.find((e) => e.source === 's:answering.tools.awaitingApproval')!;
    expect(decide).toMatchObject({ event: 'tool.decide', label: 'tool.decide [answersTheQuestion]', initial: false });
    expect(decide.points.length).toBeGreaterThanOrEqual(2);
    expect(layout.markers).toHaveLength(3);
    expect(layout.width).toBeGreaterThan(0);
  });

  it('gives a parallel state\'s regions one width, and lays a definition out once', async () => {
    const id = `test:${definitionId(app)}`;
    const first = layoutStatechart(id, app, undefined, bundled);
    expect(layoutStatechart(id, app, undefined, bundled)).toBe(first);
    const regions = (await first).nodes.filter((n) => n.region);
    expect(regions.map((r) => r.key)).toEqual(['workerPool', 'federation', 'ai']);
    expect(new Set(regions.map((r) => `${r.x}/${r.width}`)).size).toBe(1);
    expect(regions[0]!.y).toBeLessThan(regions[1]!.y);
    expect(regions[1]!.y).toBeLessThan(regions[2]!.y);
  });
});

describe('event names', () => {
  it('reads XState\'s internal events and matches wildcards as XState does', () => {
    expect(eventLabel('')).toBe('always');
    expect(eventLabel('xstate.done.actor.0.aiListener.closing')).toBe('onDone');
    expect(eventLabel('xstate.error.actor.workerPool')).toBe('onError');
    expect(eventLabel('xstate.after.aiBackoff.app.live.running.ai.backingOff')).toBe('after aiBackoff');
    expect(eventLabel('xstate.after.1500.x.a')).toBe('after 1.5s');
    expect(eventLabel('llm.done')).toBe('llm.done');
    expect(eventMatches('llm.*', 'llm.done')).toBe(true);
    expect(eventMatches('*', 'anything')).toBe(true);
    expect(eventMatches('llm.done', 'llm.text')).toBe(false);
  });
});
