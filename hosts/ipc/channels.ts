/**
 * The one orchestration channel table (STYLE.md §3, specs/ipc.md). Electron's preload and main and
 * the Node host's control socket all read it, so the two ends cannot drift. Every object is strict:
 * an unexpected field is refused rather than passed along, which is how "IPC never carries chat
 * data" is enforced rather than hoped for. Types are inferred from the schemas.
 */
import * as z from 'zod';

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

/** An AI's answer while it is being written (specs/ai.md §5): ephemeral; the stored message comes by CHUM. */
const aiPhase = z.enum(['thinking', 'streaming', 'tools', 'approval', 'done', 'failed', 'cancelled']);
const toolApproval = z.strictObject({
  call: z.strictObject({ id: short(200), name: short(200), arguments: z.record(z.string(), z.json()) }),
  title: short(200),
  reason: short(1000),
  destructive: z.boolean(),
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
  'orchestrate:aiApprove': invoke(
    z.strictObject({ topic: hash, aiPerson: hash, callId: short(200), choice: z.enum(['allowOnce', 'alwaysAllow', 'deny']) }),
    z.strictObject({}),
  ),

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
