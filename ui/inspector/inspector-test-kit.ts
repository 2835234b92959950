import { createActor, fromCallback, fromPromise, waitFor, type Actor, type AnyActorRef } from 'xstate';
import type { BrowserInstance } from '../../actors/browser/browser-instance.dom.ts';
import { InspectionCollector, type InspectionRecord } from '../../actors/inspection/inspection-collector.ts';
import { channels, type PayloadOf, type PushChannel } from '../../hosts/ipc/channels.ts';
import { OrchestrationError } from '../../hosts/ipc/orchestration-error.ts';
import { aiAssistantMachine, listenerId } from '../../machines/ai-assistant.ts';
import { aiListenerMachine, type AiListenerEvent, type GenerateInput, type RunToolsInput, type StoreAnswerInput, type ToolCallSummary } from '../../machines/ai-listener.ts';
import { appMachine } from '../../machines/app.ts';
import { browserSessionMachine } from '../../machines/browser-session.ts';
import { hostLinkMachine, type AppStatus, type NodeUser } from '../../machines/host-link.ts';
import { provisioningMachine } from '../../machines/provisioning.ts';
import { SYSTEM_ID } from '../../machines/system-ids.ts';
import type { RendererServices } from '../services.ts';

/**
 * A live inspection setting for the inspector's tests and screenshots: the real app machine (its
 * AI assistant and one AI listener mid-answer) inspected by a "Node host" collector whose records
 * reach the inspector as they would over IPC — checked against the channel schemas — and the real
 * browser session and host link inspected by this window's own collector. Only the effects are
 * fakes; every statechart runs for real.
 */
export interface InspectorKit {
  readonly services: RendererServices;
  readonly app: Actor<typeof appMachine>;
  readonly session: AnyActorRef;
  /** The AI listener that answers in TOPIC for AI, once `startAnswer` made it. */
  listener(): AnyActorRef | undefined;
  /** A human message for the AI: the listener starts thinking, then streams `text`. */
  startAnswer(text: string): Promise<void>;
  /** The model asks for a tool the user must approve. */
  askApproval(): Promise<void>;
  /** Delivers both collectors' pending records now. */
  flush(): void;
  /** How many overview requests the inspector made. */
  readonly asked: number;
  stop(): void;
}

export const TOPIC = 'a'.repeat(64);
export const AI = 'b'.repeat(64);

const NODE_USER = { personId: 'c'.repeat(64), instanceId: 'd'.repeat(64), name: 'Ada' };

export async function startInspectorKit(): Promise<InspectorKit> {
  const node = new InspectionCollector({ batchMs: 0 });
  const browser = new InspectionCollector({ batchMs: 0 });
  const pushListeners = new Set<(payload: PayloadOf<'status:inspection'>) => void>();
  let asked = 0;
  node.subscribe((batch) => {
    const payload = channels['status:inspection'].payload.parse({ events: batch.map(toEvent) });
    for (const listener of pushListeners) listener(payload);
  });

  // The AI listener's model: whatever the test says, when it says it.
  let model: ((event: AiListenerEvent) => void) | undefined;
  const generate = fromCallback<AiListenerEvent, GenerateInput>(({ sendBack }) => {
    model = sendBack;
  });
  const runTools = fromCallback<AiListenerEvent, RunToolsInput>(({ sendBack }) => {
    sendBack({
      type: 'tools.needApproval',
      approval: { call: WRITE_CALL, title: 'Write a file', reason: 'The model wants to save its notes', destructive: true },
      results: [],
    });
  });
  const ai = aiAssistantMachine.provide({
    actors: {
      watch: fromCallback(() => undefined),
      listener: aiListenerMachine.provide({
        actors: { generate, runTools, rememberDecision: fromPromise<void, { call: ToolCallSummary; choice: 'allowOnce' | 'alwaysAllow' | 'deny' }>(async () => undefined), storeAnswer: fromPromise<string | undefined, StoreAnswerInput>(async () => 'e'.repeat(64)) },
      }),
    },
  });
  const app = createActor(
    appMachine.provide({
      actors: {
        openArchive: fromPromise<void>(async () => undefined),
        provisioning: provisioningMachine.provide({
          actors: { checkStore: fromPromise<{ hasUser: boolean }>(async () => ({ hasUser: true })), unlockUser: fromPromise(async () => NODE_USER) },
        }),
        workerPool: fromCallback(() => undefined),
        federation: fromCallback(() => undefined),
        ai,
        shutdown: fromPromise<void>(async () => undefined),
      },
    }),
    { systemId: SYSTEM_ID.app, inspect: node.inspect, input: {} },
  ).start();
  await waitFor(app, (s) => s.matches({ live: 'provisioning' }));
  const provisioning = app.system.get(SYSTEM_ID.provisioning) as AnyActorRef;
  await waitFor(provisioning, (s) => s.matches('locked'));
  provisioning.send({ type: 'provision.request', requestId: 'r1', name: '', passphrase: 'correct horse' });
  await waitFor(app, (s) => s.matches({ live: 'running' }));

  const link = createActor(
    hostLinkMachine.provide({
      actors: {
        connect: fromPromise<void>(async () => undefined),
        listen: fromCallback(() => undefined),
        fetchStatus: fromPromise<{ app: AppStatus; user: NodeUser | null }>(async () => ({ app: { state: 'live.running', failures: [] }, user: NODE_USER })),
      },
    }),
    { inspect: browser.inspect },
  ).start();
  const session = createActor(
    browserSessionMachine.provide({
      actors: {
        openStore: fromPromise<{ hasUser: boolean }>(async () => ({ hasUser: true })),
        unlockUser: fromPromise(async () => ({ personId: 'f'.repeat(64), instanceId: '9'.repeat(64) })),
        findNode: fromPromise(async () => ({ url: 'ws://127.0.0.1:8765' })),
        connection: fromCallback(() => undefined),
      },
    }),
    { inspect: browser.inspect },
  ).start();
  await waitFor(session, (s) => s.matches('locked'));
  session.send({ type: 'user.unlock', name: '', passphrase: 'correct horse' });
  await waitFor(session, (s) => s.matches('federating'));
  await waitFor(link, (s) => s.matches({ connected: 'idle' }));

  const services: RendererServices = {
    instance: {} as BrowserInstance,
    collector: browser,
    onPush: <C extends PushChannel>(channel: C, listener: (payload: PayloadOf<C>) => void) => {
      if (channel !== 'status:inspection') return () => undefined;
      const typed = listener as unknown as (payload: PayloadOf<'status:inspection'>) => void;
      pushListeners.add(typed);
      return () => pushListeners.delete(typed);
    },
    orchestrate: (async (channel: string) => {
      if (channel !== 'orchestrate:inspection') throw new OrchestrationError('NOT_IMPLEMENTED', `${channel} is not part of this kit`);
      asked++;
      const { actors, recent, definitions } = node.overview();
      return channels['orchestrate:inspection'].response.parse({ actors: actors.map(toEvent), recent: recent.map(toEvent), definitions });
    }) as RendererServices['orchestrate'],
  };

  const assistant = () => app.system.get(SYSTEM_ID.ai) as AnyActorRef;
  const listener = () => (assistant().getSnapshot().context as { listeners: Record<string, AnyActorRef> }).listeners[listenerId(TOPIC, AI)];
  return {
    services,
    app,
    session,
    listener,
    get asked() {
      return asked;
    },
    async startAnswer(text) {
      assistant().send({ type: 'ai.deliver', topic: TOPIC, aiPerson: AI, hash: '7'.repeat(64) });
      await waitFor(listener()!, (s) => s.matches({ answering: 'generating' }));
      if (text) model!({ type: 'llm.text', text });
    },
    async askApproval() {
      model!({ type: 'llm.done', toolCalls: [WRITE_CALL] });
      await waitFor(listener()!, (s) => s.matches({ answering: { tools: 'awaitingApproval' } }));
    },
    flush() {
      node.flush();
      browser.flush();
    },
    stop() {
      session.stop();
      link.stop();
      app.stop();
    },
  };
}

const WRITE_CALL: ToolCallSummary = { id: 'call-1', name: 'write_file', arguments: { path: 'notes.md' } };

/** A record as `toInspectionEvent` (hosts/node) sends it: JSON only, no undefined fields. */
function toEvent(record: InspectionRecord): PayloadOf<'status:inspection'>['events'][number] {
  return JSON.parse(JSON.stringify(record)) as PayloadOf<'status:inspection'>['events'][number];
}
