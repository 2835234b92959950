/**
 * A machine's structure for the inspector to draw: states (keys, types, nesting, initial child),
 * transitions (event names, targets, guard names) and the names of what each state invokes.
 * Nothing else: no actions, no params, no context, no meta — a definition never carries chat data,
 * so it may cross IPC (specs/ipc.md, `orchestrate:inspection`).
 */
export interface MachineDefinition {
  /** The machine's id (`app`, `aiListener`). */
  readonly id: string;
  readonly root: ChartState;
}

export type ChartStateType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

export interface ChartState {
  readonly key: string;
  readonly type: ChartStateType;
  /** The key of the child entered first (compound states). */
  readonly initial?: string;
  readonly states?: readonly ChartState[];
  readonly on?: readonly ChartTransition[];
  readonly invoke?: readonly ChartInvoke[];
}

export interface ChartTransition {
  /** The event type as XState names it: `llm.done`, `xstate.done.actor.<invoke id>`, `xstate.after.<delay>.<state id>`; '' for `always`. */
  readonly event: string;
  /** Target states as paths from the root (`answering.tools.running`; '' is the root). None: the transition stays (actions only). */
  readonly targets?: readonly string[];
  /** The guard's name (`mayRetry`, `and(a, not(b))`; `inline` for an anonymous function). */
  readonly guard?: string;
}

export interface ChartInvoke {
  /** The invoke's id: what `xstate.done.actor.<id>` events name. */
  readonly id: string;
  /** The logic's name in `setup({ actors })`, or the id when the logic was given inline. */
  readonly src: string;
}

/** Bounds that keep a definition small enough for a `status:inspection`-sized reply (specs/ipc.md). */
export const DEFINITION_LIMITS = { states: 400, transitions: 1_600, targets: 32, invokes: 32, depth: 12, name: 200, bytes: 48 * 1024 } as const;

/** How many definitions a collector keeps (the newest): far more than LAMA has machines. */
export const DEFINITIONS_KEPT = 64;

/** What XState's state nodes look like from here (xstate 5: `StateMachine.root`, `StateNode`). */
interface StateNodeLike {
  readonly key: string;
  readonly type: ChartStateType;
  readonly path: readonly string[];
  readonly states: Record<string, StateNodeLike>;
  readonly transitions: Map<string, readonly TransitionLike[]>;
  readonly always?: readonly TransitionLike[];
  readonly invoke: readonly { readonly id: string; readonly src: unknown }[];
  readonly initial?: { readonly target?: readonly StateNodeLike[] };
}
interface TransitionLike {
  readonly target?: readonly StateNodeLike[];
  readonly guard?: unknown;
}

function isStateMachine(logic: unknown): logic is { id: string; root: StateNodeLike } {
  const root = (logic as { root?: Partial<StateNodeLike> } | null)?.root;
  return typeof (logic as { id?: unknown })?.id === 'string' && !!root && root.transitions instanceof Map && Array.isArray(root.path) && typeof root.states === 'object';
}

class TooLarge extends Error {}

/**
 * The definition of a state machine's logic, or undefined for other logic (promises, callbacks)
 * and for machines beyond DEFINITION_LIMITS (the inspector then lists the actor without a chart).
 */
export function describeMachine(logic: unknown): MachineDefinition | undefined {
  if (!isStateMachine(logic)) return undefined;
  let states = 0;
  let transitions = 0;
  const name = (text: string) => (text.length > DEFINITION_LIMITS.name ? `${text.slice(0, DEFINITION_LIMITS.name - 1)}…` : text);
  const describe = (node: StateNodeLike, depth: number): ChartState => {
    if (++states > DEFINITION_LIMITS.states || depth > DEFINITION_LIMITS.depth) throw new TooLarge();
    const on: ChartTransition[] = [];
    const add = (event: string, list: readonly TransitionLike[]) => {
      for (const transition of list) {
        if (++transitions > DEFINITION_LIMITS.transitions) throw new TooLarge();
        const guard = transition.guard === undefined ? undefined : guardName(transition.guard);
        if ((transition.target?.length ?? 0) > DEFINITION_LIMITS.targets) throw new TooLarge();
        const targets = transition.target?.map((target) => name(target.path.join('.')));
        on.push({ event: name(event), ...(targets?.length ? { targets } : {}), ...(guard ? { guard: name(guard) } : {}) });
      }
    };
    for (const [event, list] of node.transitions) add(event, list);
    add('', node.always ?? []);
    if (node.invoke.length > DEFINITION_LIMITS.invokes) throw new TooLarge();
    const invoke = node.invoke.map((entry) => ({ id: name(entry.id), src: name(typeof entry.src === 'string' ? entry.src : entry.id) }));
    const children = Object.values(node.states).map((child) => describe(child, depth + 1));
    const initial = node.type === 'compound' ? node.initial?.target?.[0]?.key : undefined;
    return {
      key: name(node.key),
      type: node.type,
      ...(initial !== undefined ? { initial: name(initial) } : {}),
      ...(children.length ? { states: children } : {}),
      ...(on.length ? { on } : {}),
      ...(invoke.length ? { invoke } : {}),
    };
  };
  try {
    const definition: MachineDefinition = { id: name(logic.id), root: describe(logic.root, 0) };
    return JSON.stringify(definition).length <= DEFINITION_LIMITS.bytes ? definition : undefined;
  } catch (error) {
    if (error instanceof TooLarge) return undefined;
    throw error;
  }
}

/** `mayRetry`; `and(a, not(b))` for XState's higher-order guards; `inline` for an anonymous function. */
function guardName(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    // XState's and/or/not are functions holding their operands; a minified bundle may rename them.
    const combined = guard as { name: string; guards?: unknown; stateValue?: unknown };
    if (Array.isArray(combined.guards)) return `${/^(and|or|not)$/.test(combined.name) ? combined.name : 'combined'}(${combined.guards.map(guardName).join(', ')})`;
    return combined.stateValue !== undefined ? 'stateIn' : 'inline';
  }
  const type = (guard as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : 'inline';
}

/**
 * A short name for a definition that changes when its structure does: `<machine id>@<8 hex>`
 * (FNV-1a over its JSON). Records carry it; the definition itself travels once.
 */
export function definitionId(definition: MachineDefinition): string {
  const text = JSON.stringify(definition);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${definition.id.slice(0, 180)}@${hash.toString(16).padStart(8, '0')}`;
}
