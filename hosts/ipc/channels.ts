/**
 * The one orchestration channel table (STYLE.md §3, specs/ipc.md). Electron's preload and main and
 * the Node host's control socket all read it, so the two ends cannot drift. Every object is strict:
 * an unexpected field is refused rather than passed along, which is how "IPC never carries chat
 * data" is enforced rather than hoped for. Types are inferred from the schemas.
 */
import * as z from 'zod';
import { DEFINITION_LIMITS, DEFINITIONS_KEPT, type ChartState, type MachineDefinition } from '../../actors/inspection/machine-definition.ts';

/** A lowercase hex SHA-256 digest (specs/objects.md §3). */
const hash = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');
/** Bounded so a renderer cannot make the host scrypt a megabyte. */
const passphrase = z.string().min(8).max(1024);
const count = z.int().nonnegative();
const short = (max: number) => z.string().min(1).max(max);

const appStatus = z.strictObject({
  state: short(200),
  /** The provisioning machine's state (`awaitingUser`, `locked`, …), so onboarding knows whether to create or unlock. */
  provisioning: short(100).optional(),
  failures: z.array(z.strictObject({ child: short(200), reason: short(1000) })).max(100),
});

const provisioned = z.strictObject({ personId: hash, instanceId: hash, name: short(100) });

/** Inspection frames stay small: an actor's state and a summary, never whole events (they may hold chat text). */
const MAX_INSPECTION_EVENTS = 256;
const MAX_INSPECTION_BYTES = 256 * 1024;
const inspectionEvent = z.strictObject({
  actorId: short(200),
  systemId: short(200).optional(),
  /** The machine id or the actor's id in its parent. */
  name: short(200),
  /** The parent's actorId (none for a root). */
  parent: short(200).optional(),
  /** The actor's machine definition id (`app@1a2b3c4d`); `orchestrate:inspection` has the definition. */
  machine: short(200).optional(),
  type: z.enum(['snapshot', 'event']),
  state: z.json().optional(),
  /** The actor's status: active, done, error, stopped. */
  status: short(20).optional(),
  /** Who sent the event (its actorId). */
  source: short(200).optional(),
  event: z.strictObject({ type: short(200) }).optional(),
  contextSummary: z.json().optional(),
  at: z.number().nonnegative(),
});

/**
 * A machine's structure (actors/inspection/machine-definition.ts): names only — state keys and
 * types, event names, target paths, guard and invoked logic names — so no chat data can ride along.
 */
const { states: MAX_DEFINITION_STATES, bytes: MAX_DEFINITION_BYTES, name: MAX_NAME } = DEFINITION_LIMITS;
const chartState: z.ZodType<ChartState> = z.lazy(() =>
  z.strictObject({
    key: z.string().max(MAX_NAME),
    type: z.enum(['atomic', 'compound', 'parallel', 'final', 'history']),
    initial: z.string().max(MAX_NAME).optional(),
    states: z.array(chartState).max(MAX_DEFINITION_STATES).optional(),
    on: z
      .array(
        z.strictObject({
          /** '' for an eventless (`always`) transition. */
          event: z.string().max(MAX_NAME),
          targets: z.array(z.string().max(MAX_NAME)).max(DEFINITION_LIMITS.targets).optional(),
          guard: short(MAX_NAME).optional(),
        }),
      )
      .max(DEFINITION_LIMITS.transitions)
      .optional(),
    invoke: z.array(z.strictObject({ id: short(MAX_NAME), src: short(MAX_NAME) })).max(DEFINITION_LIMITS.invokes).optional(),
  }),
);
const countStates = (state: ChartState): number => 1 + (state.states ?? []).reduce((sum, child) => sum + countStates(child), 0);
const machineDefinition: z.ZodType<MachineDefinition> = z
  .strictObject({ id: short(200), root: chartState })
  .refine((definition) => countStates(definition.root) <= MAX_DEFINITION_STATES, { message: `a definition has at most ${MAX_DEFINITION_STATES} states` })
  .refine((definition) => JSON.stringify(definition).length <= MAX_DEFINITION_BYTES, { message: `a definition is at most ${MAX_DEFINITION_BYTES} bytes of JSON` });
const MAX_INSPECTION_ACTORS = 2_000;

/** An AI's answer while it is being written (specs/ai.md §5): ephemeral; the stored message comes by CHUM. */
const aiPhase = z.enum(['thinking', 'streaming', 'tools', 'approval', 'done', 'failed', 'cancelled']);
const toolApproval = z.strictObject({
  call: z.strictObject({ id: short(200), name: short(200), arguments: z.record(z.string(), z.json()) }),
  title: short(200),
  reason: short(1000),
  destructive: z.boolean(),
});

/** What the settings and dashboard views read (specs/ipc.md §1.3): providers never carry a key, only whether they have one. */
const providerId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "expected 1–64 letters, digits, '.', '_' or '-'");
const providerHealth = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('ok'), latencyMs: z.number().nonnegative() }),
  z.strictObject({ status: z.enum(['unreachable', 'unauthorized', 'error']), message: z.string().max(1000) }),
]);
const aiProvider = z.strictObject({
  id: providerId,
  kind: z.enum(['ollama', 'lmstudio', 'claude', 'embedded']),
  /** Without user name and password: an endpoint may carry credentials. */
  endpoint: z.string().max(2048).optional(),
  hasKey: z.boolean(),
  /** Saved on this device (false: registered for this run, like the embedded model). */
  persisted: z.boolean(),
  /** Null until the first check answers. */
  health: providerHealth.nullable(),
  checkedAt: z.number().nonnegative().nullable(),
  models: z.array(z.strictObject({ id: short(512), name: short(512), contextLength: count.optional(), tools: z.boolean() })).max(1000),
});
const aiProviders = z.strictObject({ providers: z.array(aiProvider).max(64) });
const toolRule = z.enum(['allow', 'ask', 'block']);
const toolNames = z.array(short(128)).max(1000);
const toolSettings = z.strictObject({
  roots: z.array(z.string().max(4096)).max(32),
  servers: z
    .array(
      z.strictObject({
        id: short(64),
        running: z.boolean(),
        /** The server's own tool names, with the list each is on (null: none, its hint decides) and what a call gets now. */
        tools: z.array(z.strictObject({ name: short(128), title: short(200), readOnly: z.boolean(), rule: toolRule.nullable(), decision: z.enum(['run', 'ask', 'refuse']) })).max(1000),
        /** The lists as kept, `*` included, also naming tools no running server offers now. */
        rules: z.strictObject({ allow: toolNames, ask: toolNames, block: toolNames }),
      }),
    )
    .max(32),
});
const workerPool = z.strictObject({
  kinds: z
    .array(
      z.strictObject({
        kind: short(64),
        queued: count,
        workers: z.array(z.strictObject({ id: short(100), state: short(40), inFlight: count, restarts: count, lastError: short(1000).optional() })).max(64),
      }),
    )
    .max(16),
});

const invoke = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) =>
  ({ kind: 'invoke', request, response }) as const;
const push = <P extends z.ZodType>(payload: P) => ({ kind: 'push', payload }) as const;

export const channels = {
  'orchestrate:provision': invoke(
    z.strictObject({ name: z.string().trim().min(1).max(100), passphrase }),
    z.strictObject({ personId: hash, instanceId: hash, created: z.boolean() }),
  ),
  'orchestrate:startFederation': invoke(
    z.strictObject({}),
    z.strictObject({ url: z.url({ protocol: /^wss?$/ }), pairingToken: short(1024) }),
  ),
  'orchestrate:resetStorage': invoke(z.strictObject({ confirm: z.literal(true) }), z.strictObject({})),
  'orchestrate:backup': invoke(z.strictObject({ passphrase }), z.strictObject({ file: short(4096) })),
  'orchestrate:restore': invoke(z.strictObject({ file: short(4096), passphrase }), z.strictObject({ personId: hash })),
  'orchestrate:status': invoke(z.strictObject({}), z.strictObject({ app: appStatus, provisioned: provisioned.nullable() })),
  /** Stop the answer an AI is writing in a topic, or try a failed one again. */
  'orchestrate:aiAnswer': invoke(z.strictObject({ topic: hash, aiPerson: hash, action: z.enum(['cancel', 'retry']) }), z.strictObject({})),
  /** The folders the AI's file tools may reach on this device (none: the file tools are off). */
  'orchestrate:setToolRoots': invoke(
    z.strictObject({ roots: z.array(z.string().min(1).max(4096)).max(32) }),
    z.strictObject({ roots: z.array(z.string().max(4096)).max(32) }),
  ),
  /** The user's answer to a tool call waiting for approval. */
  /** What an inspector that opens starts from: the live actors, the recent history, their machines' definitions. */
  'orchestrate:inspection': invoke(
    z.strictObject({}),
    z.strictObject({
      actors: z.array(inspectionEvent).max(MAX_INSPECTION_ACTORS),
      recent: z.array(inspectionEvent).max(MAX_INSPECTION_ACTORS),
      definitions: z
        .record(short(200), machineDefinition)
        .refine((definitions) => Object.keys(definitions).length <= DEFINITIONS_KEPT, { message: `at most ${DEFINITIONS_KEPT} definitions` }),
    }),
  ),
  'orchestrate:aiApprove': invoke(
    z.strictObject({ topic: hash, aiPerson: hash, callId: short(200), choice: z.enum(['allowOnce', 'alwaysAllow', 'deny']) }),
    z.strictObject({}),
  ),
  /** The host's data folder and where its federation listener is reached. */
  'orchestrate:hostInfo': invoke(z.strictObject({}), z.strictObject({ dataDir: short(4096), federationUrl: z.url({ protocol: /^wss?$/ }).nullable() })),
  'orchestrate:aiProviders': invoke(z.strictObject({}), aiProviders),
  /** Looks for Ollama and LM Studio on this machine now and adds those found; answers with every provider. */
  'orchestrate:detectProviders': invoke(z.strictObject({}), aiProviders),
  /** Adds or replaces a provider; answers once its first health check did. */
  'orchestrate:saveProvider': invoke(
    z.strictObject({
      id: providerId,
      kind: z.enum(['ollama', 'lmstudio', 'claude']),
      endpoint: z.url({ protocol: /^https?$/ }).max(2048).optional(),
      apiKey: z.string().trim().min(1).max(1000).optional(),
    }),
    z.strictObject({ provider: aiProvider }),
  ),
  'orchestrate:removeProvider': invoke(z.strictObject({ id: providerId }), z.strictObject({})),
  'orchestrate:checkProvider': invoke(z.strictObject({ id: providerId }), z.strictObject({ health: providerHealth })),
  'orchestrate:toolSettings': invoke(z.strictObject({}), toolSettings),
  /** Puts one tool of a server (or `*`, all of them) on the allow, ask or block list, or on none. */
  'orchestrate:setToolRule': invoke(z.strictObject({ server: short(64), tool: short(128), rule: toolRule.nullable() }), toolSettings),
  /** Objects and bytes per type in the Node archive. */
  'orchestrate:storeStats': invoke(
    z.strictObject({}),
    z.strictObject({ types: z.array(z.strictObject({ type: short(100), objects: count, bytes: count })).max(1000) }),
  ),
  'orchestrate:workerPool': invoke(z.strictObject({}), workerPool),

  'status:nodeProvisioned': push(provisioned),
  'status:federationConnected': push(z.strictObject({ peer: short(200), connected: z.boolean() })),
  'status:syncProgress': push(
    z.strictObject({ peer: short(200), objectsDone: count, objectsTotal: count, bytesDone: count, bytesTotal: count }),
  ),
  'status:app': push(appStatus),
  /** The one push that carries text: an AI's answer in progress, for the chat view to show as it streams. */
  'status:aiStream': push(
    z.strictObject({
      topic: hash,
      aiPerson: hash,
      phase: aiPhase,
      text: z.string().max(400_000),
      approval: toolApproval.optional(),
      error: z.strictObject({ code: short(64), message: short(1000) }).optional(),
    }),
  ),
  'status:aiProviders': push(aiProviders),
  'status:workerPool': push(workerPool),
  'status:inspection': push(
    z
      .strictObject({ events: z.array(inspectionEvent).max(MAX_INSPECTION_EVENTS) })
      .refine((frame) => JSON.stringify(frame).length <= MAX_INSPECTION_BYTES, {
        message: `an inspection frame is at most ${MAX_INSPECTION_BYTES} bytes of JSON`,
      }),
  ),
} as const;

type Table = typeof channels;
export type Channel = keyof Table;
export type InvokeChannel = { [C in Channel]: Table[C]['kind'] extends 'invoke' ? C : never }[Channel];
export type PushChannel = { [C in Channel]: Table[C]['kind'] extends 'push' ? C : never }[Channel];

type InvokeEntry<C extends InvokeChannel> = Extract<Table[C], { kind: 'invoke' }>;
type PushEntry<C extends PushChannel> = Extract<Table[C], { kind: 'push' }>;
/** What a handler receives: the parsed request (strings trimmed where the schema says so). */
export type RequestOf<C extends InvokeChannel> = z.output<InvokeEntry<C>['request']>;
export type ResponseOf<C extends InvokeChannel> = z.output<InvokeEntry<C>['response']>;
export type PayloadOf<C extends PushChannel> = z.output<PushEntry<C>['payload']>;

/** One push as it travels: the channel and its payload, correlated. */
export type PushMessage = { [C in PushChannel]: { channel: C; payload: PayloadOf<C> } }[PushChannel];

/** Errors cross every boundary as this and nothing else: no stack, no class. */
export const ipcErrorSchema = z.strictObject({ code: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/), message: z.string().max(1000) });
export type IpcError = z.output<typeof ipcErrorSchema>;
export type IpcResult<T = unknown> = { ok: true; response: T } | { ok: false; error: IpcError };

// Own-property checks, so 'constructor' or '__proto__' never pass for a channel.
export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.hasOwn(channels, name) && channels[name as Channel].kind === 'invoke';
}

export function isPushChannel(name: unknown): name is PushChannel {
  return typeof name === 'string' && Object.hasOwn(channels, name) && channels[name as Channel].kind === 'push';
}

export const invokeChannels = (Object.keys(channels) as Channel[]).filter(isInvokeChannel);
export const pushChannels = (Object.keys(channels) as Channel[]).filter(isPushChannel);
