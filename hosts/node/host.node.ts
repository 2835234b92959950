import { join } from 'node:path';
import { createActor, fromPromise, waitFor, type Actor, type AnyActorLogic, type AnyActorRef, type SnapshotFrom } from 'xstate';
import { APP_RECIPES } from '../../actors/app-recipes.ts';
import { AiContacts } from '../../actors/ai/ai-contacts.ts';
import { aiListenerEffects } from '../../actors/ai/ai-listener-effects.ts';
import { aiWatch } from '../../actors/ai/ai-watch.ts';
import { LlmManager } from '../../actors/ai/llm-manager.ts';
import { SealedProviderStore } from '../../actors/ai/llm-manager-store.ts';
import { Chat } from '../../actors/chat/chat.ts';
import { SealedSecrets } from '../../actors/identity/sealed-secrets.ts';
import { startAiTools, type AiTools } from './ai-tools.node.ts';
import { followPool } from './pool-follower.node.ts';
import { createEmbeddedProvider } from '../../actors/ai/embedded/create-embedded.node.ts';
import { DEFAULT_EMBEDDED_MODEL } from '../../actors/ai/embedded/default-model.ts';
import type { SHA256Hash } from '../../actors/store/hash.ts';
import { aiAssistantMachine } from '../../machines/ai-assistant.ts';
import { aiListenerMachine } from '../../machines/ai-listener.ts';
import { shareTopicsAsTheyArrive } from '../../actors/chat/topic-sharing.ts';
import { platformCrypto } from '../../actors/crypto/platform.node.ts';
import { createInvitation, InvitationBook } from '../../actors/federation/invitation.ts';
import { NodeUser } from '../../actors/identity/node-user.ts';
import { InspectionCollector } from '../../actors/inspection/inspection-collector.ts';
import { ObjectStore } from '../../actors/store/object-store.ts';
import { SqliteStorage } from '../../actors/store/sqlite-storage.node.ts';
import { appMachine } from '../../machines/app.ts';
import type { federationListenerMachine } from '../../machines/federation-listener.ts';
import { provisioningMachine } from '../../machines/provisioning.ts';
import { SYSTEM_ID } from '../../machines/system-ids.ts';
import { OrchestrationError } from '../ipc/orchestration-error.ts';
import type { Orchestrator } from '../ipc/orchestrator.ts';
import { attachControlSocket, createControlSecret, type ControlSocket } from './control-socket.node.ts';
import { chumSync } from '../../actors/chum/chum-sync.ts';
import { federationChild } from './federation-child.node.ts';
import { createNodeOrchestrator } from './node-orchestrator.node.ts';
import { createViewHandlers } from './view-handlers.node.ts';
import { createStaticServer, listenLocal } from './static-server.node.ts';

/**
 * The Node host as a function (DESIGN.md §1): wires the app statechart to its effects — the SQLite
 * archive, the Node user, the worker pool — serves the renderer and the control socket on
 * 127.0.0.1, and stops it all cleanly. `hosts/node/main.node.ts` (npm start) and Electron's main
 * both start it; tests start it in-process.
 */
/** Sync progress reaches the pushes once the orchestrator exists (the federation child is wired before it). */
class SyncProgressRelay {
  target?: (peer: string, progress: { objectsDone: number; objectsTotal: number; bytesDone: number; bytesTotal: number }) => void;
  publish(peer: string, progress: { objectsDone: number; objectsTotal: number; bytesDone: number; bytesTotal: number }): void {
    this.target?.(peer, progress);
  }
}

export interface HostOptions {
  readonly dataDir: string;
  /** The UI and control-socket port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** The built renderer (dist/renderer). */
  readonly rendererDir: string;
  /** The worker pool's logic and input, invoked by the app as its `workerPool` child. */
  readonly workerPool: { readonly logic: AnyActorLogic; readonly input?: unknown };
  /** The federation listener's port on 127.0.0.1: 8765 by default, 0 for a free one (tests). */
  readonly federationPort?: number;

  readonly collector?: InspectionCollector;
  /** Called with the user's LLM manager once the user is unlocked: tests register stand-in providers here. */
  readonly configureAi?: (manager: LlmManager) => Promise<void> | void;
  /** Run the embedded model in the pool's LLM worker (default true; only where the pool is a real worker pool). */
  readonly embeddedModel?: boolean;
  /** Probe Ollama and LM Studio on their default local ports at start (default true). */
  readonly detectLocalProviders?: boolean;
}

export interface RunningHost {
  readonly app: Actor<typeof appMachine>;
  /** The page to open, with the per-launch control secret in its fragment. */
  readonly url: string;
  readonly origin: string;
  readonly collector: InspectionCollector;
  readonly user: NodeUser;
  /** The archive, once the app opened it. */
  store(): ObjectStore | undefined;
  /** The Node user's chat, once the user is unlocked (specs/chat.md). */
  chat(): Chat | undefined;
  /** The user's AI contacts and LLM providers, once the user is unlocked (specs/ai.md). */
  ai(): { contacts: AiContacts; manager: LlmManager; tools: AiTools } | undefined;
  /** Invitations this host issued (orchestrate:startFederation) and not yet redeemed. */
  readonly invitations: InvitationBook;
  /** The orchestration table served by this host: the control socket uses it, Electron's main serves it over IPC. */
  readonly orchestrator: Orchestrator;
  provision(request: { name: string; passphrase: string }): Promise<{ personId: string; instanceId: string; created: boolean }>;
  /** Stops the app tree (flushing the archive) and the servers; resolves when all is closed. */
  stop(): Promise<void>;
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const collector = options.collector ?? new InspectionCollector();
  const server = createStaticServer(options.rendererDir);
  // Bind first: a taken port is a clear error before anything else starts.
  const port = await listenLocal(server, options.port);
  const origin = `http://127.0.0.1:${port}`;
  const secret = createControlSecret();

  let store: ObjectStore | undefined;
  let chat: Chat | undefined;
  let stopSharing: (() => void) | undefined;
  let contacts: AiContacts | undefined;
  let manager: LlmManager | undefined;
  let aiTools: AiTools | undefined;
  let stopModelFollow: (() => void) | undefined;
  let aiContactsSync = Promise.resolve();
  /** Every model a healthy provider offers gets its AI contact, seen by the user's contacts. */
  const syncAiContacts = () => {
    aiContactsSync = aiContactsSync
      .then(async () => {
        if (!contacts || !manager) return;
        for (const listing of manager.models().filter((m) => m.available)) {
          await contacts.ensure({
            provider: listing.providerId,
            providerKind: listing.providerKind,
            modelId: listing.model.id,
            name: listing.model.name,
            capabilities: listing.model.capabilities.tools ? ['chat', 'tools'] : ['chat'],
            ...(listing.model.contextLength ? { contextLength: listing.model.contextLength } : {}),
          });
        }
        // The embedded model is a contact before its weights are here: its first answer downloads them
        // (or, offline, says plainly that it cannot) — otherwise nobody could ever start that chat.
        const embedded = manager.providers().find((p) => p.kind === 'embedded');
        if (embedded && !manager.models().some((m) => m.providerId === embedded.id && m.model.id === DEFAULT_EMBEDDED_MODEL.id)) {
          await contacts.ensure({ provider: embedded.id, providerKind: 'embedded', modelId: DEFAULT_EMBEDDED_MODEL.id, name: DEFAULT_EMBEDDED_MODEL.name, capabilities: ['chat'] });
        }
        await contacts.shareWith();
      })
      .catch((error: unknown) => console.error('LAMA AI contacts:', error));
  };
  /** The user is there: its chat starts, every topic it takes part in is shared, and its AI contacts come up. */
  const startUser = async <T>(result: T): Promise<T> => {
    const identity = user.identity!;
    stopSharing?.();
    chat = new Chat({ store: store!, identity });
    stopSharing = shareTopicsAsTheyArrive(store!, chat, { onError: (error) => console.error('LAMA topic sharing:', error) });
    contacts = new AiContacts(store!, platformCrypto, identity);
    await aiTools?.close();
    aiTools = await startAiTools({ store: store!, chat, inspect: collector.inspect });
    stopModelFollow?.();
    await manager?.close();
    manager = await LlmManager.open({ store: new SealedProviderStore(store!.adapter, SealedSecrets.forIdentity(platformCrypto, identity)) });
    stopModelFollow = manager.subscribe(() => {
      syncAiContacts();
      views.providersChanged();
    });
    startEmbedded();
    await options.configureAi?.(manager);
    if (options.detectLocalProviders ?? true) void manager.detectLocalProviders().catch(() => undefined);
    syncAiContacts();
    return result;
  };
  /**
   * The embedded model answers from the pool's LLM worker; no pool (tests' idle stand-in), no model.
   * Once per manager, when both are there: the pool starts only after provisioning (app.running),
   * so a first unlock finds it here later, from the app's subscription below.
   */
  let embeddedFor: LlmManager | undefined;
  const startEmbedded = () => {
    if (!(options.embeddedModel ?? true) || !manager || embeddedFor === manager) return;
    const pool = followPool(() => app.system.get(SYSTEM_ID.workerPool) as AnyActorRef | undefined);
    if (!pool) return;
    embeddedFor = manager;
    const { provider } = createEmbeddedProvider({ dataDir: options.dataDir, pool });
    void manager.register(provider).catch((error: unknown) => console.error('LAMA embedded model:', error));
    void provider.warm();
  };
  /** What the AI assistant works with, read when it runs (after the user is unlocked). */
  const aiDeps = {
    get store() {
      return store!;
    },
    get chat() {
      return chat!;
    },
    get contacts() {
      return contacts!;
    },
    get tools() {
      return aiTools?.tools;
    },
    complete: (ref: string, request: Parameters<LlmManager['complete']>[1]) => manager!.complete(ref, request),
    onError: (error: unknown) => console.error('LAMA AI watch:', error),
  };
  const aiLogic = aiAssistantMachine.provide({
    actors: {
      // aiDeps itself, not a copy: its getters must be read when the assistant runs, not now.
      watch: aiWatch(aiDeps),
      listener: aiListenerMachine.provide({ actors: aiListenerEffects(aiDeps) }),
    },
  });
  // Attached after the app actor exists (it serves the actor), closed by the app's shutdown state.
  const attached: { control?: ControlSocket } = {};
  const user = new NodeUser(() => store!, platformCrypto, 'node archive');
  const invitations = new InvitationBook();
  const syncProgress = new SyncProgressRelay();
  const federation = federationChild(
    {
      crypto: platformCrypto,
      store: () => store!,
      identity: () => user.identity!,
      invitations,
      allowedOrigins: () => [origin],
      sync: chumSync({ crypto: platformCrypto, store: () => store!, onProgress: (peer, progress) => syncProgress.publish(peer.instanceId, progress) }),
    },
    options.federationPort,
  );
  let closing: Promise<void> | undefined;
  /** Idempotent: the shutdown state runs it, and stop() makes sure of it when the app failed before reaching that state. */
  const closeResources = () =>
    (closing ??= (async () => {
      stopSharing?.();
      stopModelFollow?.();
      await manager?.close();
      await aiTools?.close();
      await attached.control?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store?.close();
    })());

  const machine = appMachine.provide({
    actors: {
      openArchive: fromPromise(async () => {
        store = new ObjectStore({ adapter: await SqliteStorage.open(join(options.dataDir, 'archive')), hasher: platformCrypto, recipes: APP_RECIPES });
      }),
      provisioning: provisioningMachine.provide({
        actors: {
          checkStore: fromPromise(() => user.exists()),
          createUser: fromPromise(async ({ input }) => startUser(await user.create(input))),
          unlockUser: fromPromise(async ({ input }) => startUser(await user.unlock(input))),
        },
      }),
      workerPool: options.workerPool.logic,
      federation: federation.logic,
      ai: aiLogic,
      shutdown: fromPromise(closeResources),
    },
  });
  const app = createActor(machine, {
    systemId: SYSTEM_ID.app,
    inspect: collector.inspect,
    input: { childInputs: { workerPool: options.workerPool.input, federation: federation.input } },
  });
  const aiControl = {
    setToolRoots: (roots: readonly string[]) => {
      if (!aiTools) throw new OrchestrationError('NOT_READY', 'the user is not unlocked yet');
      return aiTools.setRoots(roots);
    },
  };
  const federationPort = () => {
    const listening = app.system.get(SYSTEM_ID.federation)?.getSnapshot() as SnapshotFrom<typeof federationListenerMachine> | undefined;
    return listening?.matches({ running: 'listening' }) ? listening.context.port : undefined;
  };
  const { orchestrator: coreOrchestrator, dispose, pushes } = createNodeOrchestrator(app, collector, {
    invite: () => {
      const port = federationPort();
      if (!user.identity || port === undefined) throw new OrchestrationError('NOT_READY', 'federation is not listening yet');
      const { invitation, token } = createInvitation(platformCrypto, user.identity, { url: `ws://127.0.0.1:${port}` });
      invitations.add(invitation);
      return { url: invitation.url, pairingToken: token };
    },
  }, aiControl);
  // What the settings, devices and data views read and change (specs/ipc.md §1.3).
  const views = createViewHandlers(
    {
      dataDir: options.dataDir,
      ai: () => (manager && aiTools ? { manager, tools: aiTools } : undefined),
      store: () => store,
      federationUrl: () => {
        const port = federationPort();
        return port === undefined ? undefined : `ws://127.0.0.1:${port}`;
      },
      system: app.system,
    },
    pushes,
  );
  const orchestrator: Orchestrator = { ...coreOrchestrator, ...views.handlers };
  // Whoever links up (the browser, a device) may see the user's AI contacts: it joins their viewers.
  let followedListener: AnyActorRef | undefined;
  let linkUps: { unsubscribe(): void } | undefined;
  app.subscribe({
    next: () => {
      views.followPool();
      startEmbedded();
      const listener = app.system.get(SYSTEM_ID.federation) as AnyActorRef | undefined;
      if (listener === followedListener) return;
      linkUps?.unsubscribe();
      followedListener = listener;
      linkUps = listener?.on('connection.up', (event: { peer: { personId: string } }) => {
        aiContactsSync = aiContactsSync.then(() => contacts?.shareWith([event.peer.personId as SHA256Hash])).catch((error: unknown) => console.error('LAMA AI contacts:', error));
      });
    },
    error: () => undefined,
  });
  syncProgress.target = (peer, progress) => pushes.publish('status:syncProgress', { peer, ...progress });
  // A push the table refuses is a bug on our side: say so rather than drop it silently.
  attached.control = attachControlSocket(server, { orchestrator, secret, origin, onInternalError: (error) => console.error('LAMA control socket:', error) });
  app.start();

  return {
    app,
    url: `${origin}/#secret=${secret}`,
    origin,
    collector,
    user,
    store: () => store,
    chat: () => chat,
    ai: () => (contacts && manager && aiTools ? { contacts, manager, tools: aiTools } : undefined),
    invitations,
    orchestrator,
    provision: async (request) => {
      // From the command line the request may come before the archive is open: wait until provisioning can take it.
      const live = await waitFor(app, (snapshot) => snapshot.matches('live') || snapshot.status !== 'active');
      if (!live.matches('live')) throw new OrchestrationError('NOT_READY', live.context.reason ?? 'the app is not running');
      const provisioning = app.system.get(SYSTEM_ID.provisioning) as AnyActorRef;
      await waitFor(provisioning, (snapshot) => !snapshot.matches('checking'));
      return orchestrator['orchestrate:provision'](request);
    },
    stop: async () => {
      app.send({ type: 'app.stop' });
      await waitFor(app, (snapshot) => snapshot.status !== 'active', { timeout: 30_000 });
      await closeResources();
      dispose();
      views.dispose();
      collector.flush();
    },
  };
}
