import { randomUUID } from 'node:crypto';
import type { Actor, AnyActorRef } from 'xstate';
import type { InspectionCollector, InspectionRecord } from '../../actors/inspection/inspection-collector.ts';
import { formatState } from '../../actors/inspection/transition-log.ts';
import type { appMachine } from '../../machines/app.ts';
import type { ProvisionedUser } from '../../machines/provisioning.ts';
import { SYSTEM_ID } from '../../machines/system-ids.ts';
import type { PayloadOf } from '../ipc/channels.ts';
import { OrchestrationError } from '../ipc/orchestration-error.ts';
import { partialOrchestrator, type Orchestrator } from '../ipc/orchestrator.ts';
import { PushEmitter } from '../ipc/push-emitter.ts';

/**
 * The Node host's side of the orchestration table: each invoke is an event to an actor and a wait
 * for its answer; each status push comes from the actors' snapshots or the inspection feed.
 * Translation only — the machines decide.
 */
type AppActor = Actor<typeof appMachine>;
type AppStatus = PayloadOf<'status:app'>;

const PROVISION_TIMEOUT_MS = 120_000;
const INSPECTION_CHUNK = 100;

export interface NodeOrchestrator {
  readonly orchestrator: Orchestrator;
  /** Where other parts of the host publish status pushes (sync progress). */
  readonly pushes: PushEmitter;
  /** Stops listening to the actors. */
  dispose(): void;
}

export function appStatusOf(app: AppActor): AppStatus {
  const snapshot = app.getSnapshot();
  const provisioning = app.system.get(SYSTEM_ID.provisioning) as AnyActorRef | undefined;
  const provisioningState = provisioning?.getSnapshot().value as string | undefined;
  return {
    state: formatState(snapshot.value),
    ...(provisioningState ? { provisioning: provisioningState } : {}),
    failures: snapshot.context.failures.map((f) => ({ child: f.child, reason: f.reason.slice(0, 1000) || 'crashed' })),
  };
}

export interface FederationControl {
  /** A new invitation for the renderer's user to pair with (orchestrate:startFederation). */
  invite(): { url: string; pairingToken: string };
}

export interface AiControl {
  /** Checks and keeps the folders the AI's file tools may reach (orchestrate:setToolRoots). */
  setToolRoots(roots: readonly string[]): Promise<readonly string[]>;
}

export function createNodeOrchestrator(app: AppActor, collector: InspectionCollector, federation: FederationControl, ai?: AiControl): NodeOrchestrator {
  const pushes = new PushEmitter();
  let lastStatus = '';
  let announced: ProvisionedUser | undefined;

  const publishStatus = () => {
    const status = appStatusOf(app);
    const text = JSON.stringify(status);
    if (text !== lastStatus) {
      lastStatus = text;
      pushes.publish('status:app', status);
    }
    const user = app.getSnapshot().context.user;
    if (user && user !== announced) {
      announced = user;
      pushes.publish('status:nodeProvisioned', user);
    }
  };

  // The federation listener is restarted by its supervisor: follow whichever actor holds the systemId now.
  let listener: AnyActorRef | undefined;
  let federationEvents: { unsubscribe(): void }[] = [];
  const followFederation = () => {
    const current = app.system.get(SYSTEM_ID.federation) as AnyActorRef | undefined;
    if (current === listener) return;
    federationEvents.forEach((s) => s.unsubscribe());
    listener = current;
    federationEvents = current
      ? [
          current.on('connection.up', (event: { peer: { instanceId: string } }) => pushes.publish('status:federationConnected', { peer: event.peer.instanceId, connected: true })),
          current.on('connection.down', (event: { peer?: { instanceId: string } }) => {
            if (event.peer) pushes.publish('status:federationConnected', { peer: event.peer.instanceId, connected: false });
          }),
        ]
      : [];
  };

  // The AI assistant is supervised too: relay whichever one runs now.
  let assistant: AnyActorRef | undefined;
  let assistantEvents: { unsubscribe(): void } | undefined;
  const followAssistant = () => {
    const current = app.system.get(SYSTEM_ID.ai) as AnyActorRef | undefined;
    if (current === assistant) return;
    assistantEvents?.unsubscribe();
    assistant = current;
    assistantEvents = current?.on('ai.stream', (event: PayloadOf<'status:aiStream'> & { type: string }) => {
      const { type: _type, ...payload } = event;
      pushes.publish('status:aiStream', { ...payload, text: payload.text.slice(-400_000) });
    });
  };
  const aiCommand = (event: { type: string; topic: string; aiPerson: string } & Record<string, unknown>) => {
    const current = app.system.get(SYSTEM_ID.ai) as AnyActorRef | undefined;
    if (!current) throw new OrchestrationError('NOT_READY', 'the AI assistant is not running');
    current.send(event);
    return {};
  };

  // Followed as soon as the app (re)starts it, not at the next inspection batch: a peer may connect first.
  const appSubscription = app.subscribe({
    next: () => {
      followFederation();
      followAssistant();
    },
    error: () => undefined,
  });

  // Every transition anywhere in the tree passes through the collector: recompute the status then.
  const unsubscribe = collector.subscribe((batch) => {
    publishStatus();
    for (let i = 0; i < batch.length; i += INSPECTION_CHUNK) {
      pushes.publish('status:inspection', { events: batch.slice(i, i + INSPECTION_CHUNK).map(toInspectionEvent) });
    }
  });

  const orchestrator = partialOrchestrator(
    {
      'orchestrate:status': async () => ({ app: appStatusOf(app), provisioned: app.getSnapshot().context.user ?? null }),
      'orchestrate:inspection': async () => {
        const { actors, recent, definitions } = collector.overview();
        return { actors: actors.map(toInspectionEvent), recent: recent.map(toInspectionEvent), definitions };
      },
      'orchestrate:provision': (request) => provision(app, request),
      'orchestrate:startFederation': async () => federation.invite(),
      'orchestrate:aiAnswer': async ({ topic, aiPerson, action }) => aiCommand({ type: action === 'cancel' ? 'ai.cancel' : 'ai.retry', topic, aiPerson }),
      'orchestrate:setToolRoots': async ({ roots }) => {
        if (!ai) throw new OrchestrationError('NOT_READY', 'the AI tools are not running');
        try {
          return { roots: [...(await ai.setToolRoots(roots))] };
        } catch (error) {
          const coded = error as { code?: unknown; message?: unknown };
          if (typeof coded.code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(coded.code)) throw new OrchestrationError(coded.code, String(coded.message));
          throw error;
        }
      },
      'orchestrate:aiApprove': async ({ topic, aiPerson, callId, choice }) => aiCommand({ type: 'ai.decide', topic, aiPerson, callId, choice }),
    },
    pushes.onPush,
  );
  return {
    orchestrator,
    pushes,
    dispose: () => {
      unsubscribe();
      appSubscription.unsubscribe();
      federationEvents.forEach((s) => s.unsubscribe());
      assistantEvents?.unsubscribe();
    },
  };
}

/** Sends one provision request to the provisioning actor and waits for the answer with its id. */
function provision(app: AppActor, request: { name: string; passphrase: string }): Promise<{ personId: string; instanceId: string; created: boolean }> {
  const provisioning = app.system.get(SYSTEM_ID.provisioning) as AnyActorRef | undefined;
  if (!provisioning) return Promise.reject(new OrchestrationError('NOT_READY', 'the archive is still opening; try again in a moment'));
  const requestId = randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(new OrchestrationError('TIMEOUT', 'provisioning did not answer in time'))), PROVISION_TIMEOUT_MS);
    const subscription = provisioning.on('*', (event: { type: string; requestId?: string; user?: ProvisionedUser; created?: boolean; error?: { code: string; message: string } }) => {
      if (event.requestId !== requestId) return;
      if (event.type === 'provision.succeeded') finish(() => resolve({ personId: event.user!.personId, instanceId: event.user!.instanceId, created: event.created! }));
      else finish(() => reject(new OrchestrationError(event.error!.code, event.error!.message)));
    });
    function finish(settle: () => void) {
      clearTimeout(timer);
      subscription.unsubscribe();
      settle();
    }
    provisioning.send({ type: 'provision.request', requestId, name: request.name, passphrase: request.passphrase });
  });
}

function toInspectionEvent(record: InspectionRecord): PayloadOf<'status:inspection'>['events'][number] {
  return {
    actorId: record.actorId,
    name: record.name,
    type: record.type,
    at: record.at,
    ...(record.systemId ? { systemId: record.systemId } : {}),
    ...(record.parent ? { parent: record.parent } : {}),
    ...(record.machine ? { machine: record.machine } : {}),
    ...(record.state !== undefined ? { state: record.state as never } : {}),
    ...(record.status ? { status: record.status } : {}),
    ...(record.event ? { event: record.event } : {}),
    ...(record.source ? { source: record.source } : {}),
    ...(record.contextSummary !== undefined ? { contextSummary: record.contextSummary as never } : {}),
  };
}
